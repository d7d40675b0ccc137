package io.barcast.functions.window;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.ForecastReason;
import io.barcast.core.InferenceRequest;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.features.FeatureCalculator;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.models.ModelCatalog;
import io.barcast.functions.models.ModelRegistry;
import io.barcast.functions.models.ModelVersion;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps each symbol's rolling model input and asks for a forecast on every new bar, and again when
 * the model serving the symbol changes.
 *
 * <ul>
 *   <li>Input: sanitized bars and reprediction requests keyed by symbol, bars in event-time order
 *       per symbol; and, broadcast, the catalog of valid model versions (one per folder) each time
 *       the models are scanned.
 *   <li>Output: one {@link InferenceRequest} per new or revised bar once the window is full, naming
 *       the model folder and version it was scaled for; one per symbol with a full window when its
 *       model changes ({@code model_update}); one per reprediction request, as of the newest bar,
 *       its reason the request's cause, at most one per bar; the accepted bars on {@link
 *       #ACCEPTED_BARS}; exact duplicates, bars older than the newest and reprediction requests for
 *       a symbol without a full window on {@link DeadLetters#TAG}.
 *   <li>State: a {@link SymbolHistory} per symbol; the model catalog as broadcast state.
 *   <li>Timers: an event-time timer {@code ttl} after the newest bar clears a silent symbol.
 * </ul>
 */
public class SymbolWindowFunction
        extends KeyedBroadcastProcessFunction<String, WindowInput, ModelCatalog, InferenceRequest> {

    /** Bars the window accepted (new or revised): what the forecasts were made from. */
    public static final OutputTag<Bar> ACCEPTED_BARS = new OutputTag<>("accepted-bars") {};

    private final List<ModelVersion> initialCatalog;
    private final long ttlMillis;

    private transient Map<String, Input> inputs;
    private transient ValueState<SymbolHistory> history;
    private transient ObjectMapper mapper;
    private transient Counter requests;
    private transient Counter rejected;
    private transient Counter modelUpdates;
    private transient Counter repredictions;
    private transient Counter repredictionsSkipped;

    /**
     * @param initialCatalog the models valid when the job was built: used until the first scan's
     *     catalog arrives, so no bar waits for it
     * @param ttl how long a silent symbol's window is kept, in event time
     */
    public SymbolWindowFunction(List<ModelVersion> initialCatalog, Duration ttl) {
        this.initialCatalog = List.copyOf(initialCatalog);
        this.ttlMillis = ttl.toMillis();
    }

    /** The state holding each symbol's history; tests read it through this descriptor. */
    public static ValueStateDescriptor<SymbolHistory> historyDescriptor() {
        return new ValueStateDescriptor<>("symbol-history", SymbolHistory.class);
    }

    /** The broadcast state holding the current model version of each folder. */
    public static MapStateDescriptor<String, ModelVersion> catalogDescriptor() {
        return new MapStateDescriptor<>(
                "model-catalog", Types.STRING, TypeInformation.of(ModelVersion.class));
    }

    @Override
    public void open(OpenContext context) {
        inputs = new HashMap<>();
        history = getRuntimeContext().getState(historyDescriptor());
        mapper = Json.newMapper();
        var metrics = getRuntimeContext().getMetricGroup();
        requests = metrics.counter("inferenceRequests");
        rejected = metrics.counter("windowRejectedBars");
        modelUpdates = metrics.counter("modelUpdateRequests");
        repredictions = metrics.counter("repredictions");
        repredictionsSkipped = metrics.counter("repredictionsSkippedSameBar");
    }

    @Override
    public void processElement(
            WindowInput input, ReadOnlyContext context, Collector<InferenceRequest> out)
            throws Exception {
        if (input.bar() != null) {
            processBar(input.bar(), context, out);
        } else {
            repredict(input.reprediction(), context, out);
        }
    }

    /**
     * Answers a reprediction request with a forecast as of the newest bar, once per bar: a second
     * request while no new bar came would get the same forecast.
     */
    private void repredict(
            RepredictionRequest reprediction,
            ReadOnlyContext context,
            Collector<InferenceRequest> out)
            throws Exception {
        String symbol = reprediction.symbol();
        SymbolHistory current = history.value();
        if (current == null) {
            rejectReprediction(
                    reprediction,
                    context,
                    "no bars of " + symbol + " in the window (unknown symbol, or silent too long)");
            return;
        }
        Map<String, ModelVersion> catalog = catalog(context.getBroadcastState(catalogDescriptor()));
        ModelVersion model = catalog.get(ModelCatalog.folderFor(symbol, catalog.keySet()));
        Input input = inputOf(model);
        current = fitted(current, input);
        int needed = input.spec.input().sequenceLength();
        if (!current.isFull(needed)) {
            rejectReprediction(
                    reprediction,
                    context,
                    "the window of " + symbol + " is not full yet (" + needed + " bars needed)");
            return;
        }
        if (current.repredictedAt == current.lastTime) {
            repredictionsSkipped.inc();
            return;
        }
        InferenceRequest request = request(symbol, current, reprediction.cause(), model, input);
        current.repredictedAt = current.lastTime;
        history.update(current);
        repredictions.inc();
        out.collect(request);
    }

    private void rejectReprediction(
            RepredictionRequest reprediction, ReadOnlyContext context, String reason)
            throws JsonProcessingException {
        context.output(
                DeadLetters.TAG,
                DeadLetter.of(
                        reprediction.symbol(),
                        "reprediction",
                        reason,
                        reprediction.barTime(),
                        mapper.writeValueAsString(reprediction)));
    }

    private void processBar(Bar bar, ReadOnlyContext context, Collector<InferenceRequest> out)
            throws Exception {
        Map<String, ModelVersion> catalog = catalog(context.getBroadcastState(catalogDescriptor()));
        ModelVersion model = catalog.get(ModelCatalog.folderFor(bar.symbol(), catalog.keySet()));
        Input input = inputOf(model);
        SymbolHistory current = history.value();
        ForecastReason reason;
        if (current == null) {
            current = SymbolHistory.create(input.spec);
            current.append(bar, input.calculator);
            reason = ForecastReason.NEW_BAR;
        } else if (bar.time() > current.lastTime) {
            context.timerService().deleteEventTimeTimer(current.lastTime + ttlMillis);
            current = fitted(current, input);
            current.append(bar, input.calculator);
            reason = ForecastReason.NEW_BAR;
        } else if (bar.time() == current.lastTime && !bar.equals(current.lastBar)) {
            context.timerService().deleteEventTimeTimer(current.lastTime + ttlMillis);
            current = fitted(current, input);
            current.reviseLast(bar, input.calculator);
            reason = ForecastReason.REVISION;
        } else {
            reject(
                    bar,
                    context,
                    bar.time() == current.lastTime
                            ? "duplicate: the same bar was already received"
                            : "late: older than the symbol's newest bar at " + current.lastTime);
            return;
        }
        current.lastReceivedAt = System.currentTimeMillis();
        boolean full = current.isFull(input.spec.input().sequenceLength());
        InferenceRequest request =
                full ? request(bar.symbol(), current, reason.label(), model, input) : null;
        history.update(current);
        context.timerService().registerEventTimeTimer(current.lastTime + ttlMillis);
        context.output(ACCEPTED_BARS, bar);
        if (request != null) {
            requests.inc();
            out.collect(request);
        }
    }

    /**
     * Stores the new catalog and, for every symbol whose model changed, fits its window to the new
     * model and asks for a fresh forecast.
     */
    @Override
    public void processBroadcastElement(
            ModelCatalog update, Context context, Collector<InferenceRequest> out)
            throws Exception {
        BroadcastState<String, ModelVersion> state = context.getBroadcastState(catalogDescriptor());
        Map<String, ModelVersion> before = catalog(state);
        Map<String, ModelVersion> after = new HashMap<>();
        for (ModelVersion model : update.models()) {
            after.put(model.folder(), model);
        }
        if (!after.containsKey(ModelRegistry.DEFAULT) || after.equals(stored(state))) {
            return;
        }
        state.clear();
        state.putAll(after);
        if (after.equals(before)) {
            return;
        }
        context.applyToKeyedState(
                historyDescriptor(),
                (symbol, symbolState) -> {
                    SymbolHistory current = symbolState.value();
                    ModelVersion was = before.get(ModelCatalog.folderFor(symbol, before.keySet()));
                    ModelVersion now = after.get(ModelCatalog.folderFor(symbol, after.keySet()));
                    if (current == null || Objects.equals(was, now)) {
                        return;
                    }
                    Input input = inputOf(now);
                    current = fitted(current, input);
                    InferenceRequest request =
                            current.isFull(input.spec.input().sequenceLength())
                                    ? request(
                                            symbol,
                                            current,
                                            ForecastReason.MODEL_UPDATE.label(),
                                            now,
                                            input)
                                    : null;
                    symbolState.update(current);
                    if (request != null) {
                        modelUpdates.inc();
                        out.collect(request);
                    }
                });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<InferenceRequest> out)
            throws Exception {
        SymbolHistory current = history.value();
        if (current != null && current.lastTime + ttlMillis <= timestamp) {
            history.clear();
        }
    }

    /**
     * A request for the newest bar, numbered in the symbol's sequence. It carries the time that bar
     * reached the window, also when a new model asks again later, so the feed delay stays the bar's
     * own.
     */
    private static InferenceRequest request(
            String symbol, SymbolHistory current, String reason, ModelVersion model, Input input) {
        current.requests++;
        return new InferenceRequest(
                symbol,
                current.lastTime,
                reason,
                current.lastBar.close(),
                model.folder(),
                model.version(),
                current.scaledWindow(input.spec),
                current.lastReceivedAt,
                current.requests);
    }

    /** The history in the layout {@code input} reads, rebuilt from its raw bars if it changed. */
    private static SymbolHistory fitted(SymbolHistory current, Input input) {
        if (current.layout != null
                && current.layout.equals(input.layout)
                && current.close.length >= input.barsNeeded) {
            return current;
        }
        return current.relayout(input.spec, input.calculator);
    }

    /** The catalog last broadcast, or the initial one until a scan's catalog has arrived. */
    private Map<String, ModelVersion> catalog(ReadOnlyBroadcastState<String, ModelVersion> state)
            throws Exception {
        Map<String, ModelVersion> catalog = stored(state);
        if (catalog.isEmpty()) {
            for (ModelVersion model : initialCatalog) {
                catalog.put(model.folder(), model);
            }
        }
        return catalog;
    }

    private static Map<String, ModelVersion> stored(
            ReadOnlyBroadcastState<String, ModelVersion> state) throws Exception {
        Map<String, ModelVersion> catalog = new HashMap<>();
        for (Map.Entry<String, ModelVersion> entry : state.immutableEntries()) {
            catalog.put(entry.getKey(), entry.getValue());
        }
        return catalog;
    }

    private Input inputOf(ModelVersion model) {
        return inputs.computeIfAbsent(model.fingerprint(), fingerprint -> Input.of(model));
    }

    private void reject(Bar bar, ReadOnlyContext context, String reason)
            throws JsonProcessingException {
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

    /** What the window needs of a model version: its spec, feature calculator and layout. */
    private record Input(
            ModelSpec spec, FeatureCalculator calculator, String layout, int barsNeeded) {

        static Input of(ModelVersion model) {
            ModelSpec spec = model.spec();
            spec.validate();
            return new Input(
                    spec,
                    spec.featureCalculator(),
                    SymbolHistory.layoutOf(spec),
                    spec.barsNeeded());
        }
    }
}
