package io.barcast.functions.predict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.DeadLetter;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.forecast.ForecastPath;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.window.SymbolWindowFunction;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns model output into a one-week price path on the symbol's calendar.
 *
 * <ul>
 *   <li>Input: {@link InferenceResult}s.
 *   <li>Output: a {@link Prediction} with a deterministic id per successful result; failed
 *       inferences on {@link DeadLetters#TAG}.
 *   <li>State and timers: none.
 * </ul>
 */
public class PredictionBuilder extends ProcessFunction<InferenceResult, Prediction> {

    /** How far ahead a forecast looks. */
    public static final Duration HORIZON = Duration.ofDays(7);

    private final ModelSpec spec;

    private transient ObjectMapper mapper;
    private transient Counter forecastsOut;
    private transient Histogram latency;

    public PredictionBuilder(ModelSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        mapper = Json.newMapper();
        var metrics = getRuntimeContext().getMetricGroup();
        forecastsOut = metrics.counter("forecastsOut");
        latency =
                metrics.histogram(
                        "barToForecastLatencyMillis", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(InferenceResult result, Context context, Collector<Prediction> out)
            throws JsonProcessingException {
        if (!result.succeeded()) {
            context.output(
                    DeadLetters.TAG,
                    DeadLetter.of(
                            result.symbol(),
                            "inference",
                            result.failure(),
                            result.asOf(),
                            mapper.writeValueAsString(
                                    Map.of(
                                            "symbol", result.symbol(),
                                            "asOf", result.asOf(),
                                            "reason", result.reason()))));
            return;
        }
        Prediction prediction = build(result, spec, System.currentTimeMillis());
        forecastsOut.inc();
        latency.update(prediction.predictedAt() - prediction.receivedAt());
        out.collect(prediction);
    }

    /** The prediction for a successful result, made at wall-clock time {@code now}. */
    public static Prediction build(InferenceResult result, ModelSpec spec, long now) {
        MarketCalendar calendar = MarketCalendar.forSymbol(result.symbol());
        long[] times = calendar.barStartsWithin(result.asOf(), HORIZON, spec.interval());
        double[] prices =
                ForecastPath.prices(
                        spec.output().horizonSteps(),
                        result.logReturns(),
                        result.lastClose(),
                        times.length);
        String trigger =
                SymbolWindowFunction.REASON_REVISION.equals(result.reason())
                        ? SymbolWindowFunction.REASON_NEW_BAR
                        : result.reason();
        return new Prediction(
                Prediction.idOf(
                        result.symbol(),
                        result.asOf(),
                        result.modelName(),
                        result.modelVersion(),
                        trigger),
                result.symbol(),
                result.asOf(),
                result.reason(),
                result.modelName(),
                result.modelVersion(),
                result.lastClose(),
                times,
                prices,
                result.batchSize(),
                result.inferenceMicros(),
                result.receivedAt(),
                now);
    }
}
