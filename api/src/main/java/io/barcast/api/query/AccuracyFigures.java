package io.barcast.api.query;

import io.barcast.core.AccuracyTotals;

/**
 * Forecast accuracy over some validated points, with the job's definitions ({@link AccuracyTotals},
 * the figures of the accuracy table): errors in percent of the actual price, the naive "no change"
 * forecast's beside them, and skill.
 *
 * @param points the validated points
 * @param maePercent mean |error percent|, as the accuracy table's mae_percent
 * @param rmsePercent root mean squared error percent
 * @param mapePercent the same figure as {@code maePercent}: an error in percent of the actual price
 *     is a percentage error, so their mean is the MAPE; named as sql/queries names it
 * @param directionalAccuracy share of the points where the price moved whose forecast moved the
 *     same way; null when it never moved
 * @param bandCoverage share of the points whose actual close was inside the band
 * @param naiveMaePercent the same as maePercent for "no change" (the last close)
 * @param naiveRmsePercent the same as rmsePercent for "no change"
 * @param skill {@code 1 - maePercent / naiveMaePercent}: above 0 beats "no change"; null when the
 *     naive error is 0
 */
public record AccuracyFigures(
        long points,
        double maePercent,
        double rmsePercent,
        double mapePercent,
        Double directionalAccuracy,
        double bandCoverage,
        double naiveMaePercent,
        double naiveRmsePercent,
        Double skill) {

    static AccuracyFigures of(AccuracyTotals totals) {
        return new AccuracyFigures(
                totals.points(),
                totals.maePercent(),
                totals.rmsePercent(),
                totals.maePercent(),
                totals.directionalAccuracy(),
                totals.bandCoverage(),
                totals.naiveMaePercent(),
                totals.naiveRmsePercent(),
                totals.skill());
    }
}
