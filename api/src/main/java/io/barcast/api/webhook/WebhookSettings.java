package io.barcast.api.webhook;

import java.time.Duration;
import java.util.List;

/**
 * How webhooks are delivered.
 *
 * @param allowedHosts hosts (names or addresses) a webhook may point at even though they resolve to
 *     a loopback, private, link-local or metadata address; empty: none
 * @param timeout connect and read timeout of one delivery attempt
 * @param maxAttempts attempts before a delivery is given up
 * @param disableAfter an endpoint failing for this long is disabled, with an alert
 * @param senders deliveries in flight at once per instance
 */
public record WebhookSettings(
        List<String> allowedHosts,
        Duration timeout,
        int maxAttempts,
        Duration disableAfter,
        int senders) {

    public WebhookSettings {
        allowedHosts = List.copyOf(allowedHosts);
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(List.of(), Duration.ofSeconds(10), 8, Duration.ofHours(24), 8);
    }
}
