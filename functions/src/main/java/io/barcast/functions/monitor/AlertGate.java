package io.barcast.functions.monitor;

import io.barcast.core.Alert;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets an alert through at most once per {@code minInterval} for each category and symbol, so a
 * problem that lasts does not flood the alerts table and topic.
 *
 * <ul>
 *   <li>Input: alerts keyed by {@link #keyOf}. Output: the first alert of a category and symbol,
 *       then the next one at least {@code minInterval} later by the alerts' own times, its message
 *       saying how many were held back in between. An alert with the id of the last one let through
 *       (the same problem raised again, e.g. by a replay) is dropped.
 *   <li>State per key: the last alert let through and the count held back since.
 *   <li>Cleared by a processing-time state TTL of {@code max(minInterval, 1 day)} after its last
 *       write: a key quiet that long starts afresh.
 *   <li>Metrics: {@code alertsRaised} per {@code category} (a label in Prometheus) counts the
 *       alerts let through, which Prometheus rules alert on; {@code alertsHeldBack}.
 * </ul>
 */
public class AlertGate extends KeyedProcessFunction<String, Alert, Alert> {

    private final long minIntervalMillis;
    private final Duration ttl;

    private transient ValueState<GateState> gate;
    private transient Counter heldBack;
    private transient Map<String, Counter> raised;

    public AlertGate(Duration minInterval) {
        this.minIntervalMillis = minInterval.toMillis();
        this.ttl = minInterval.compareTo(Duration.ofDays(1)) > 0 ? minInterval : Duration.ofDays(1);
    }

    /** The key alerts are gated by: category and symbol. */
    public static String keyOf(Alert alert) {
        return alert.category() + "|" + alert.symbol();
    }

    public static ValueStateDescriptor<GateState> gateDescriptor(Duration ttl) {
        ValueStateDescriptor<GateState> descriptor =
                new ValueStateDescriptor<>("alert-gate", GateState.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
        return descriptor;
    }

    @Override
    public void open(OpenContext context) {
        gate = getRuntimeContext().getState(gateDescriptor(ttl));
        heldBack = getRuntimeContext().getMetricGroup().counter("alertsHeldBack");
        // every category up front, so a rule's increase() sees a series from zero
        raised = new HashMap<>();
        for (String category : Alert.CATEGORIES) {
            raised.put(
                    category,
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("category", category)
                            .counter("alertsRaised"));
        }
    }

    @Override
    public void processElement(Alert alert, Context context, Collector<Alert> out)
            throws Exception {
        GateState state = gate.value();
        if (state != null && alert.id().equals(state.lastId)) {
            return;
        }
        if (state != null && alert.time() < state.lastTime + minIntervalMillis) {
            state.heldBack++;
            gate.update(state);
            heldBack.inc();
            return;
        }
        int held = state == null ? 0 : state.heldBack;
        GateState next = new GateState();
        next.lastId = alert.id();
        next.lastTime = alert.time();
        gate.update(next);
        Counter counter = raised.get(alert.category());
        if (counter != null) {
            counter.inc();
        }
        out.collect(
                held == 0
                        ? alert
                        : new Alert(
                                alert.id(),
                                alert.severity(),
                                alert.category(),
                                alert.symbol(),
                                alert.message()
                                        + " ("
                                        + held
                                        + " more like it held back since the last alert)",
                                alert.time()));
    }

    /** What the gate keeps per category and symbol. */
    public static class GateState {
        public String lastId;
        public long lastTime;
        public int heldBack;

        public GateState() {}
    }
}
