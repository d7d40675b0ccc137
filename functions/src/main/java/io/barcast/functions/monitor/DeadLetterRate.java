package io.barcast.functions.monitor;

import io.barcast.core.Alert;
import io.barcast.core.DeadLetter;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Raises an alert when one stage sends many records to the dead letters within a minute.
 *
 * <ul>
 *   <li>Input: dead letters keyed by stage. Output: an alert for each wall-clock minute in which a
 *       stage had at least {@code perMinute} of them, with the count and the latest reason.
 *   <li>State per stage: the count of the current minute and its latest reason.
 *   <li>Timers: a processing-time timer at the end of each minute with dead letters judges the
 *       count and clears the state.
 * </ul>
 */
public class DeadLetterRate extends KeyedProcessFunction<String, DeadLetter, Alert> {

    private static final long MINUTE = 60_000;

    private final int perMinute;

    private transient ValueState<MinuteCount> minute;

    public DeadLetterRate(int perMinute) {
        this.perMinute = perMinute;
    }

    public static ValueStateDescriptor<MinuteCount> minuteDescriptor() {
        return new ValueStateDescriptor<>("dead-letters-this-minute", MinuteCount.class);
    }

    @Override
    public void open(OpenContext context) {
        minute = getRuntimeContext().getState(minuteDescriptor());
    }

    @Override
    public void processElement(DeadLetter deadLetter, Context context, Collector<Alert> out)
            throws Exception {
        MinuteCount count = minute.value();
        if (count == null) {
            count = new MinuteCount();
            long now = context.timerService().currentProcessingTime();
            count.end = (now / MINUTE + 1) * MINUTE;
            context.timerService().registerProcessingTimeTimer(count.end);
        }
        count.count++;
        count.lastReason = deadLetter.reason();
        minute.update(count);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
            throws Exception {
        MinuteCount count = minute.value();
        minute.clear();
        if (count == null || count.count < perMinute) {
            return;
        }
        String stage = context.getCurrentKey();
        out.collect(
                Alert.of(
                        Alert.WARNING,
                        Alert.DEAD_LETTERS,
                        "",
                        count.count
                                + " dead letters from stage "
                                + stage
                                + " in the minute to "
                                + Instant.ofEpochMilli(count.end)
                                + " (alert at "
                                + perMinute
                                + "); the latest: "
                                + count.lastReason,
                        stage + "\u0000" + count.end,
                        count.end));
    }

    /** The dead letters of one stage in the current minute. */
    public static class MinuteCount {
        public long end;
        public int count;
        public String lastReason;

        public MinuteCount() {}
    }
}
