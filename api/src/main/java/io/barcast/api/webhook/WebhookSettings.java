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
 * @param maxPerKey the most webhooks one API key may have
 * @param retention deliveries older than this are deleted
 * @param retryBackoff the wait before the first retry; each next one waits three times longer (with
 *     jitter), at most {@link #MAX_BACKOFF}
 */
public record WebhookSettings(
        List<String> allowedHosts,
        Duration timeout,
        int maxAttempts,
        Duration disableAfter,
        int senders,
        int maxPerKey,
        Duration retention,
        Duration retryBackoff) {

    /** The longest wait between two attempts of one delivery. */
    public static final Duration MAX_BACKOFF = Duration.ofHours(6);

    public WebhookSettings {
        allowedHosts = List.copyOf(allowedHosts);
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(
                List.of(),
                Duration.ofSeconds(10),
                8,
                Duration.ofHours(24),
                8,
                20,
                Duration.ofDays(7),
                Duration.ofSeconds(30));
    }

    public WebhookSettings withAllowedHosts(List<String> hosts) {
        return new WebhookSettings(
                hosts,
                timeout,
                maxAttempts,
                disableAfter,
                senders,
                maxPerKey,
                retention,
                retryBackoff);
    }

    /**
     * How long a sender holds a claimed delivery: an attempt ends within two timeouts (connect,
     * then the answer), so a lease that runs out means the instance died mid-send.
     */
    public Duration lease() {
        return timeout.multipliedBy(2).plusSeconds(5);
    }
}
