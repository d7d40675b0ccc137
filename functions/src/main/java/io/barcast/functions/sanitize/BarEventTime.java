package io.barcast.functions.sanitize;

import io.barcast.core.IncomingBar;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of what a source read: a bar's end. Only a bar the {@link BarSanitizer} will let
 * through may move event time; anything else gets the lowest timestamp, so that one bad time (a
 * nanosecond timestamp, a bar from 2099) cannot push the watermark ahead and fire every symbol's
 * timers. Both ask the same {@link BarChecks}.
 */
public final class BarEventTime implements SerializableTimestampAssigner<IncomingBar> {

    private final BarChecks checks;

    public BarEventTime(BarChecks checks) {
        this.checks = checks;
    }

    @Override
    public long extractTimestamp(IncomingBar incoming, long recordTimestamp) {
        return incoming.isParsed() && checks.problemOf(incoming.bar()) == null
                ? incoming.bar().time() + checks.intervalMillis()
                : Long.MIN_VALUE;
    }
}
