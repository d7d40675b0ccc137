package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One forecast point checked against the actual bar at its time.
 *
 * @param id deterministic: the forecast's id and the step
 * @param predictionId the forecast the point belongs to
 * @param symbol the symbol
 * @param asOf the forecast's as-of bar start (epoch ms)
 * @param targetTime start (epoch ms) of the bar the point predicted the close of
 * @param horizonBars the point's model step: bars ahead of the forecast on the symbol's calendar
 * @param lastClose the close the forecast started from: the naive "no change" forecast
 * @param predicted the predicted close
 * @param actual the actual close
 * @param errorPercent {@code 100 (predicted - actual) / actual}
 * @param naiveErrorPercent {@code 100 (lastClose - actual) / actual}
 * @param directionRight whether the forecast moved the way the price did; null when the price did
 *     not move
 * @param insideBand whether the actual close lies within the forecast's band at that point
 * @param lower the band's lower price at that point
 * @param upper the band's upper price at that point
 */
public record Validation(
        String id,
        String predictionId,
        String symbol,
        long asOf,
        long targetTime,
        int horizonBars,
        double lastClose,
        double predicted,
        double actual,
        double errorPercent,
        double naiveErrorPercent,
        Boolean directionRight,
        boolean insideBand,
        double lower,
        double upper) {

    public static String idOf(String predictionId, int horizonBars) {
        String key = predictionId + "\u0000" + horizonBars;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The validation of a point predicted at {@code predicted} whose bar closed at {@code actual}.
     */
    public static Validation of(
            String predictionId,
            String symbol,
            long asOf,
            long targetTime,
            int horizonBars,
            double lastClose,
            double predicted,
            double actual,
            double lower,
            double upper) {
        double actualMove = actual - lastClose;
        return new Validation(
                idOf(predictionId, horizonBars),
                predictionId,
                symbol,
                asOf,
                targetTime,
                horizonBars,
                lastClose,
                predicted,
                actual,
                100 * (predicted - actual) / actual,
                100 * (lastClose - actual) / actual,
                actualMove == 0
                        ? null
                        : Math.signum(predicted - lastClose) == Math.signum(actualMove),
                lower <= actual && actual <= upper,
                lower,
                upper);
    }
}
