package io.barcast.connectors.polygon;

import io.barcast.core.Bar;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Everything a Polygon reader needs, fixed when the job is built. Times that depend on "now" (a
 * backfill of {@code 30d}) are resolved then, so a restarted job does not move them.
 *
 * @param backfillFrom epoch ms of the first bar wanted
 * @param backfillTo epoch ms after which the source ends (a bounded run), or null for a live one
 * @param heartbeat how often the WebSocket is pinged; a connection silent for two of these is taken
 *     as lost
 * @param clock market time; the system clock except in tests
 */
public record PolygonSettings(
        List<String> symbols,
        PolygonMode mode,
        String restUrl,
        String wsUrl,
        long backfillFrom,
        Long backfillTo,
        Duration pollInterval,
        Duration delay,
        Duration revisionGrace,
        int requestsPerMinute,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        boolean extendedHours,
        Duration heartbeat,
        ApiKey apiKey,
        Clock clock)
        implements Serializable {

    /**
     * The longest time range asked for in one request: Polygon's {@code limit} of 50,000 counts the
     * minute aggregates behind the bars, about 34 days of a 24x7 market.
     */
    public static final Duration MAX_RANGE = Duration.ofDays(30);

    /**
     * Start of the newest bar that is final at {@code marketNow}: its window has closed, the plan's
     * delay has passed, and so has the grace period in which Polygon still revises recent bars.
     */
    public long newestFinalBar(long marketNow) {
        long closedBy = marketNow - delay.toMillis() - revisionGrace.toMillis();
        return Math.floorDiv(closedBy, Bar.INTERVAL_MILLIS) * Bar.INTERVAL_MILLIS
                - Bar.INTERVAL_MILLIS;
    }
}
