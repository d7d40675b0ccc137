package io.barcast.api.stream;

import java.time.Duration;

/**
 * How the API's live streams (server-sent events and WebSocket) behave.
 *
 * @param clientBuffer events a client may have waiting before it is dropped as too slow
 * @param heartbeat how often an idle stream gets a comment, so proxies keep it open
 * @param tokenLifetime how long a stream token (for browsers, in the query string) may be used
 * @param maxClients streams one instance serves at once; more get 503
 */
public record StreamSettings(
        int clientBuffer, Duration heartbeat, Duration tokenLifetime, int maxClients) {

    public static StreamSettings defaults() {
        return new StreamSettings(1_000, Duration.ofSeconds(15), Duration.ofSeconds(60), 2_000);
    }
}
