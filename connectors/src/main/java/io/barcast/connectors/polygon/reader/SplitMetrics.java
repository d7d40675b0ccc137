package io.barcast.connectors.polygon.reader;

import java.time.Clock;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * A split's metrics, in the group {@code split=<id>}: requests sent, 429 answers, retries, bars
 * emitted, and the lag from the end of the newest bar emitted to now.
 */
final class SplitMetrics {

    final Counter requests;
    final Counter rateLimited;
    final Counter retries;
    final Counter barsEmitted;
    private final long barMillis;
    private volatile long newestBarEnd = Long.MIN_VALUE;

    SplitMetrics(MetricGroup readerGroup, String splitId, Clock clock, long barMillis) {
        MetricGroup group = readerGroup.addGroup("split", splitId);
        requests = group.counter("polygonRequests");
        rateLimited = group.counter("polygonRateLimited");
        retries = group.counter("polygonRetries");
        barsEmitted = group.counter("polygonBarsEmitted");
        group.<Long, Gauge<Long>>gauge(
                "polygonLagMillis",
                () -> newestBarEnd == Long.MIN_VALUE ? -1L : clock.millis() - newestBarEnd);
        this.barMillis = barMillis;
    }

    void emitted(long barStart) {
        barsEmitted.inc();
        newestBarEnd = Math.max(newestBarEnd, barStart + barMillis);
    }
}
