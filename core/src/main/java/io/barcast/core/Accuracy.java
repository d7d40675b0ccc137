package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A symbol's rolling forecast accuracy in one horizon bucket, as of one bar: over the newest
 * validated points of each model step in the bucket that bars up to {@code asOf} settled. Errors
 * are in percent of the actual price, so a figure means the same over months of price moves; the
 * naive "no change" forecast's errors over the same points stand beside them, and skill compares
 * the two.
 *
 * @param id deterministic: symbol, bucket and as-of bar
 * @param symbol the symbol
 * @param asOf start (epoch ms) of the bar the figures are as of
 * @param horizon the bucket: {@code 1h} (up to 4 bars ahead), {@code 1d} (up to 96), {@code 1w}
 *     (beyond), or {@code all}
 * @param modelVersion the version of the model whose forecast was made as of that bar
 * @param points the validated points the figures are over
 * @param maePercent mean absolute error, in percent of the actual price (the MAPE)
 * @param rmsePercent root mean squared error, in percent of the actual price
 * @param naiveMaePercent the same for the naive forecast
 * @param naiveRmsePercent the same for the naive forecast
 * @param directionalAccuracy share of points whose predicted direction was right, among those where
 *     the price moved; null when it never moved
 * @param bandCoverage share of points whose actual close was inside the forecast's band
 * @param skill {@code 1 - maePercent / naiveMaePercent}: above 0 the model beats "no change"; null
 *     when the naive error is 0
 */
public record Accuracy(
        String id,
        String symbol,
        long asOf,
        String horizon,
        String modelVersion,
        int points,
        double maePercent,
        double rmsePercent,
        double naiveMaePercent,
        double naiveRmsePercent,
        Double directionalAccuracy,
        double bandCoverage,
        Double skill) {

    public static final String ALL = "all";

    /**
     * Every horizon a figure is kept for: the buckets of {@link #bucketOf}, shortest first, and
     * all.
     */
    public static final List<String> HORIZONS = List.of("1h", "1d", "1w", ALL);

    public static String idOf(String symbol, String horizon, long asOf) {
        String key = String.join("\u0000", symbol, horizon, Long.toString(asOf));
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The bucket of a model step, by bars ahead: the same cut as the accuracy queries. */
    public static String bucketOf(int horizonBars) {
        if (horizonBars <= 4) {
            return "1h";
        }
        return horizonBars <= 96 ? "1d" : "1w";
    }
}
