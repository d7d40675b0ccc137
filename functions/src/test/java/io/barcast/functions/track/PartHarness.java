package io.barcast.functions.track;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs one part of the {@link PredictionTracker} inside a keyed operator of Flink's test harness,
 * so the part's state, metrics and timers are Flink's own: each step runs with a symbol as the
 * current key, and what the part emits lands on the harness's side outputs.
 */
final class PartHarness<P> implements AutoCloseable {

    /** Makes the part from the operator's runtime context, as the tracker does in its open. */
    interface Factory<P> extends Serializable {
        P create(RuntimeContext context);
    }

    /** What one step does with the part. */
    interface Step<P> {
        void run(P part, Emitter out, TimerService timers) throws Exception;
    }

    private record Call<P>(String symbol, Step<P> step) {}

    private static final class Driver<P> extends KeyedProcessFunction<String, Call<P>, Void> {

        private final Factory<P> factory;
        private transient P part;

        Driver(Factory<P> factory) {
            this.factory = factory;
        }

        @Override
        public void open(OpenContext context) {
            part = factory.create(getRuntimeContext());
        }

        @Override
        public void processElement(Call<P> call, Context context, Collector<Void> out)
                throws Exception {
            call.step().run(part, context::output, context.timerService());
        }
    }

    private final Driver<P> driver;
    private final KeyedOneInputStreamOperatorTestHarness<String, Call<P>, Void> harness;

    PartHarness(Factory<P> factory) throws Exception {
        driver = new Driver<>(factory);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(driver), Call::symbol, Types.STRING);
        harness.open();
    }

    /** Runs {@code step} with {@code symbol} as the current key. */
    void run(String symbol, Step<P> step) throws Exception {
        harness.processElement(new StreamRecord<>(new Call<>(symbol, step)));
    }

    /** The part, for what it keeps outside keyed state. */
    P part() {
        return driver.part;
    }

    <T> List<T> side(OutputTag<T> tag) {
        ConcurrentLinkedQueue<StreamRecord<T>> out = harness.getSideOutput(tag);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    /** The part's state of {@code descriptor} for {@code symbol}, as the operator holds it. */
    <S extends State> S state(String symbol, StateDescriptor<S, ?> descriptor) throws Exception {
        harness.getOperator().getKeyedStateBackend().setCurrentKey(symbol);
        return harness.getOperator()
                .getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    }

    int stateEntries() {
        return harness.numKeyedStateEntries();
    }

    int timers() {
        return harness.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
