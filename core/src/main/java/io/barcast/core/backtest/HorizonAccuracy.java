package io.barcast.core.backtest;

import io.barcast.core.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How close the validated points at one model horizon came, with the same definitions as {@code
 * sql/queries/accuracy_by_horizon.sql}: errors in price units (MAE, RMSE) and in percent of the
 * actual price (MAPE), beside the same errors of the naive "no change" forecast (the last close). A
 * share or ratio with nothing to count is {@link Double#NaN}.
 *
 * @param horizonBars the model step: bars ahead of the forecast ({@link Validation#horizonBars})
 * @param points how many validated points
 * @param mae mean |predicted - actual|
 * @param rmse root of the mean (predicted - actual)²
 * @param mapePercent mean |errorPercent|
 * @param directionalAccuracy share of the points where the price moved whose forecast moved the
 *     same way
 * @param bandCoverage share of the points whose actual close lay inside the band
 * @param naiveMae mean |lastClose - actual|
 * @param naiveRmse root of the mean (lastClose - actual)²
 * @param naiveMapePercent mean |naiveErrorPercent|
 * @param skill {@code 1 - mae / naiveMae}: above 0 the model beats no change; NaN when the naive
 *     error is 0
 */
public record HorizonAccuracy(
        int horizonBars,
        int points,
        double mae,
        double rmse,
        double mapePercent,
        double directionalAccuracy,
        double bandCoverage,
        double naiveMae,
        double naiveRmse,
        double naiveMapePercent,
        double skill) {

    /**
     * The accuracy of {@code points}, which must all be at one horizon.
     *
     * @throws IllegalArgumentException when there are no points or they mix horizons
     */
    public static HorizonAccuracy of(List<Validation> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no validated points to measure");
        }
        int horizon = points.get(0).horizonBars();
        double absError = 0;
        double squaredError = 0;
        double absErrorPercent = 0;
        double naiveAbsError = 0;
        double naiveSquaredError = 0;
        double naiveAbsErrorPercent = 0;
        int moves = 0;
        int movesRight = 0;
        int inside = 0;
        for (Validation v : points) {
            if (v.horizonBars() != horizon) {
                throw new IllegalArgumentException(
                        "points mix horizons " + horizon + " and " + v.horizonBars());
            }
            double error = v.predicted() - v.actual();
            double naiveError = v.lastClose() - v.actual();
            absError += Math.abs(error);
            squaredError += error * error;
            absErrorPercent += Math.abs(v.errorPercent());
            naiveAbsError += Math.abs(naiveError);
            naiveSquaredError += naiveError * naiveError;
            naiveAbsErrorPercent += Math.abs(v.naiveErrorPercent());
            if (v.directionRight() != null) {
                moves++;
                movesRight += v.directionRight() ? 1 : 0;
            }
            inside += v.insideBand() ? 1 : 0;
        }
        int n = points.size();
        double mae = absError / n;
        double naiveMae = naiveAbsError / n;
        return new HorizonAccuracy(
                horizon,
                n,
                mae,
                Math.sqrt(squaredError / n),
                absErrorPercent / n,
                moves == 0 ? Double.NaN : (double) movesRight / moves,
                (double) inside / n,
                naiveMae,
                Math.sqrt(naiveSquaredError / n),
                naiveAbsErrorPercent / n,
                naiveMae == 0 ? Double.NaN : 1 - mae / naiveMae);
    }

    /** The accuracy at each horizon {@code validations} have, shortest horizon first. */
    public static List<HorizonAccuracy> byHorizon(List<Validation> validations) {
        Map<Integer, List<Validation>> byHorizon = new TreeMap<>();
        for (Validation v : validations) {
            byHorizon.computeIfAbsent(v.horizonBars(), h -> new ArrayList<>()).add(v);
        }
        List<HorizonAccuracy> accuracies = new ArrayList<>(byHorizon.size());
        for (List<Validation> points : byHorizon.values()) {
            accuracies.add(of(points));
        }
        return List.copyOf(accuracies);
    }
}
