package io.barcast.functions;

import io.barcast.core.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Counts the dead letters of every stage on their way to the sinks ({@code deadLetters} metric);
 * passes them on unchanged. No state, no timers.
 */
public class DeadLetterMeter extends RichMapFunction<DeadLetter, DeadLetter> {

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext context) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public DeadLetter map(DeadLetter deadLetter) {
        deadLetters.inc();
        return deadLetter;
    }
}
