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

    public StreamSettings {
        if (clientBuffer < 1) {
            throw new IllegalArgumentException("a stream's client buffer must be at least 1 event");
        }
        if (heartbeat == null || heartbeat.toMillis() < 1) {
            throw new IllegalArgumentException("the stream heartbeat must be positive");
        }
        if (tokenLifetime == null || tokenLifetime.toMillis() < 1) {
            throw new IllegalArgumentException("the stream token lifetime must be positive");
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("an instance must serve at least 1 stream");
        }
    }

    public static StreamSettings defaults() {
        return new StreamSettings(1_000, Duration.ofSeconds(15), Duration.ofSeconds(60), 2_000);
    }
}
