package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A one-week-ahead forecast of a symbol's price path.
 *
 * @param id deterministic: a replay or a recovery writes the same id, not a new one
 * @param symbol the symbol
 * @param asOf start (epoch ms) of the newest bar the forecast saw
 * @param reason why it was made: {@code new_bar}, {@code revision}
 * @param modelName the model's name
 * @param modelVersion the model's version
 * @param lastClose the close it starts from
 * @param times bar starts (epoch ms) of every bar in the next week on the symbol's calendar
 * @param prices the predicted close of each of those bars
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
        String modelName,
        String modelVersion,
        double lastClose,
        long[] times,
        double[] prices,
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
}
