package io.barcast.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.barcast.core.confidence.ConfidenceFactor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A one-week-ahead forecast of a symbol's price path, with its uncertainty band and confidence.
 *
 * @param id deterministic: a replay or a recovery writes the same id, not a new one
 * @param symbol the symbol
 * @param asOf start (epoch ms) of the newest bar the forecast saw
 * @param reason why it was made: {@code new_bar}, {@code revision}, {@code model_update}, a
 *     reprediction's cause, or {@code api} (bars handed to the query API, not the job's)
 * @param modelFolder the model folder that served it: {@code default} or the symbol's own
 * @param modelName the model's name
 * @param modelVersion the model's version
 * @param lastClose the close it starts from
 * @param times bar starts (epoch ms) of every bar in the next week on the symbol's calendar
 * @param prices the predicted close of each of those bars
 * @param lower the band's lower price at each of those bars
 * @param upper the band's upper price at each of those bars
 * @param bandMethod how the band was made: {@code model_quantiles}, {@code conformal}, {@code
 *     conformal_partial} (some horizons still on the fallback) or {@code volatility}
 * @param bandCoverage the band's nominal coverage, e.g. 0.8
 * @param confidence the confidence in [0, 1], decay included
 * @param confidenceLevel {@code very_high}, {@code high}, {@code medium}, {@code low}, {@code
 *     very_low}
 * @param confidenceFactors the ten factors, each in [0, 1], in {@link ConfidenceFactor} order
 * @param confidenceDecay the multiplier from model age and feed delay, in (0, 1]
 * @param batchSize how many requests shared the inference call (a measurement of this run)
 * @param inferenceMicros how long that call took (a measurement of this run)
 * @param receivedAt wall-clock time the bar reached its symbol window (a measurement)
 * @param predictedAt wall-clock time the forecast was made (a measurement)
 */
public record Prediction(
        String id,
        String symbol,
        long asOf,
        String reason,
        String modelFolder,
        String modelName,
        String modelVersion,
        double lastClose,
        long[] times,
        double[] prices,
        double[] lower,
        double[] upper,
        String bandMethod,
        double bandCoverage,
        double confidence,
        String confidenceLevel,
        @JsonIgnore double[] confidenceFactors,
        double confidenceDecay,
        int batchSize,
        long inferenceMicros,
        long receivedAt,
        long predictedAt) {

    /**
     * The id of a forecast: the same symbol, bar, model and trigger always give the same id. A
     * revision of a bar re-forecasts under the bar's id, so the latest revision wins.
     */
    public static String idOf(
            String symbol, long asOf, String modelName, String modelVersion, String trigger) {
        String key =
                String.join(
                        "\u0000", symbol, Long.toString(asOf), modelName, modelVersion, trigger);
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The confidence factors by name, as JSON consumers see them. */
    @JsonProperty("confidenceFactors")
    public Map<String, Double> confidenceFactorsByName() {
        Map<String, Double> byName = new LinkedHashMap<>();
        ConfidenceFactor[] factors = ConfidenceFactor.values();
        if (confidenceFactors != null) {
            for (int i = 0; i < confidenceFactors.length && i < factors.length; i++) {
                byName.put(factors[i].key(), confidenceFactors[i]);
            }
        }
        return byName;
    }
}
