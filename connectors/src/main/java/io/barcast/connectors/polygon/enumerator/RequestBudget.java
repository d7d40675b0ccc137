package io.barcast.connectors.polygon.enumerator;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * The job's Polygon request budget: at most {@code requestsPerMinute} in any minute, as Polygon
 * counts them. Permits are spaced evenly (a Bucket4j token bucket of one token), 2% further apart
 * than the budget allows, so that a request that reaches the server up to 1.2 s after its permit
 * (network, a busy task thread, a GC pause) still never makes one too many in a minute. A 429
 * pauses all permits for the time it asks. Not thread-safe: the enumerator uses it from the
 * coordinator thread only.
 */
final class RequestBudget {

    private final Bucket bucket;
    private long pausedUntil;

    RequestBudget(int requestsPerMinute) {
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requests per minute must be >= 1");
        }
        Duration spacing = Duration.ofNanos(Math.round(60e9 * 1.02 / requestsPerMinute));
        this.bucket =
                Bucket.builder()
                        .addLimit(limit -> limit.capacity(1).refillGreedy(1, spacing))
                        .build();
    }

    /** Takes a permit if one is free at {@code nowMillis} (0), else the milliseconds to wait. */
    long tryAcquire(long nowMillis) {
        if (pausedUntil > nowMillis) {
            return pausedUntil - nowMillis;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill() / 1_000_000);
    }

    /** No permit for {@code millis} from {@code nowMillis}. */
    void pauseFor(long nowMillis, long millis) {
        pausedUntil = Math.max(pausedUntil, nowMillis + millis);
    }
}
