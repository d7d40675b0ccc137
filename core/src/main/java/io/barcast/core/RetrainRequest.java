package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Evidence that a model no longer serves a symbol: its rolling skill against the naive "no change"
 * forecast stayed below the threshold for the configured time. {@code models/training} turns it
 * into a new model version (see its README); the registry picks that up while the job runs.
 *
 * @param id deterministic: symbol, model version and the time skill fell
 * @param symbol the symbol
 * @param modelFolder the folder serving the symbol ({@code default} or its own)
 * @param modelVersion the model version that lost its skill
 * @param belowSince start (epoch ms) of the first bar from which skill stayed below the threshold
 * @param asOf start (epoch ms) of the bar at which the request was made
 * @param skill the rolling skill then, over all horizons
 * @param threshold the skill threshold
 * @param maePercent the rolling error, in percent of the actual price
 * @param naiveMaePercent the naive forecast's rolling error over the same points
 * @param points the validated points behind the figures
 * @param message a sentence for people
 */
public record RetrainRequest(
        String id,
        String symbol,
        String modelFolder,
        String modelVersion,
        long belowSince,
        long asOf,
        double skill,
        double threshold,
        double maePercent,
        double naiveMaePercent,
        int points,
        String message) {

    public static String idOf(String symbol, String modelVersion, long belowSince) {
        String key = String.join("\u0000", symbol, modelVersion, Long.toString(belowSince));
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
