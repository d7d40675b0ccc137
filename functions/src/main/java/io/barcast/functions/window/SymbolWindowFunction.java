package io.barcast.functions.window;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.InferenceRequest;
import io.barcast.core.features.FeatureCalculator;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.DeadLetters;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps each symbol's rolling model input and asks for a forecast on every new bar.
 *
 * <ul>
 *   <li>Input: sanitized bars keyed by symbol, in event-time order per symbol.
 *   <li>Output: one {@link InferenceRequest} per new or revised bar once the window is full; the
 *       accepted bars on {@link #ACCEPTED_BARS}; exact duplicates and bars older than the newest on
 *       {@link DeadLetters#TAG}.
 *   <li>State: a {@link SymbolHistory} per symbol (raw bars for the features, feature vectors).
 *   <li>Timers: an event-time timer {@code ttl} after the newest bar clears a silent symbol.
 * </ul>
 */
public class SymbolWindowFunction extends KeyedProcessFunction<String, Bar, InferenceRequest> {

    /** Bars the window accepted (new or revised): what the forecasts were made from. */
    public static final OutputTag<Bar> ACCEPTED_BARS = new OutputTag<>("accepted-bars") {};

    public static final String REASON_NEW_BAR = "new_bar";
    public static final String REASON_REVISION = "revision";

    private final ModelSpec spec;
    private final long ttlMillis;

    private transient FeatureCalculator calculator;
    private transient ValueState<SymbolHistory> history;
    private transient ObjectMapper mapper;
    private transient Counter requests;
    private transient Counter rejected;

    public SymbolWindowFunction(ModelSpec spec, Duration ttl) {
        this.spec = spec;
        this.ttlMillis = ttl.toMillis();
    }

    /** The state holding each symbol's history; tests read it through this descriptor. */
    public static ValueStateDescriptor<SymbolHistory> historyDescriptor() {
        return new ValueStateDescriptor<>("symbol-history", SymbolHistory.class);
    }

    @Override
    public void open(OpenContext context) {
        calculator = FeatureCalculator.forNames(spec.input().features());
        history = getRuntimeContext().getState(historyDescriptor());
        mapper = Json.newMapper();
        requests = getRuntimeContext().getMetricGroup().counter("inferenceRequests");
        rejected = getRuntimeContext().getMetricGroup().counter("windowRejectedBars");
    }

    @Override
    public void processElement(Bar bar, Context context, Collector<InferenceRequest> out)
            throws Exception {
        SymbolHistory current = history.value();
        String reason;
        if (current == null) {
            current =
                    SymbolHistory.create(
                            calculator.lookback(),
                            spec.input().sequenceLength(),
                            calculator.featureCount());
            current.append(bar, calculator);
            reason = REASON_NEW_BAR;
        } else if (bar.time() > current.lastTime) {
            context.timerService().deleteEventTimeTimer(current.lastTime + ttlMillis);
            current.append(bar, calculator);
            reason = REASON_NEW_BAR;
        } else if (bar.time() == current.lastTime && !bar.equals(current.lastBar)) {
            context.timerService().deleteEventTimeTimer(current.lastTime + ttlMillis);
            current.reviseLast(bar, calculator);
            reason = REASON_REVISION;
        } else {
            reject(
                    bar,
                    context,
                    bar.time() == current.lastTime
                            ? "duplicate: the same bar was already received"
                            : "late: older than the symbol's newest bar at " + current.lastTime);
            return;
        }
        history.update(current);
        context.timerService().registerEventTimeTimer(current.lastTime + ttlMillis);
        context.output(ACCEPTED_BARS, bar);
        if (current.isFull(spec.input().sequenceLength())) {
            requests.inc();
            out.collect(
                    new InferenceRequest(
                            bar.symbol(),
                            bar.time(),
                            reason,
                            bar.close(),
                            current.scaledWindow(spec),
                            System.currentTimeMillis()));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<InferenceRequest> out)
            throws Exception {
        SymbolHistory current = history.value();
        if (current != null && current.lastTime + ttlMillis <= timestamp) {
            history.clear();
        }
    }

    private void reject(Bar bar, Context context, String reason) throws JsonProcessingException {
        rejected.inc();
        context.output(
                DeadLetters.TAG,
                DeadLetter.of(
                        bar.symbol(),
                        "window",
                        reason,
                        bar.time(),
                        mapper.writeValueAsString(bar)));
    }
}
