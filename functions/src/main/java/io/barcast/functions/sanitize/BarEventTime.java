package io.barcast.functions.sanitize;

import io.barcast.core.IncomingBar;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of what a source read: a bar's end. Only a bar the {@link BarSanitizer} will let
 * through may move event time; anything else gets the lowest timestamp, so that one bad time (a
 * nanosecond timestamp, say) cannot push the watermark ahead and fire every symbol's timers.
 */
public final class BarEventTime implements SerializableTimestampAssigner<IncomingBar> {

    private final long intervalMillis;

    public BarEventTime(Duration interval) {
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public long extractTimestamp(IncomingBar incoming, long recordTimestamp) {
        return incoming.isParsed() && BarSanitizer.problemOf(incoming.bar(), intervalMillis) == null
                ? incoming.bar().time() + intervalMillis
                : Long.MIN_VALUE;
    }
}
