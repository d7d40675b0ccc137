package io.barcast.functions.track;

import org.apache.flink.util.OutputTag;

/**
 * Where a part of the {@link PredictionTracker} publishes what it finds: the tracker's side outputs
 * ({@code context::output}), or a test's own outputs.
 */
@FunctionalInterface
interface Emitter {

    <T> void emit(OutputTag<T> tag, T value);
}
