package io.barcast.functions.track;

import io.barcast.core.Accuracy;

/**
 * Sums over settled forecast points, turned into an {@link Accuracy}. A point's errors come from
 * its ring: {@code 100 (predicted - actual) / actual = 100 (exp(-residual) - 1)} for the forecast
 * and {@code 100 (exp(-naiveMove) - 1)} for "no change", the same figures a validation carries.
 */
final class RollingAccuracy {

    private int points;
    private double absError;
    private double squaredError;
    private double naiveAbsError;
    private double naiveSquaredError;
    private int moved;
    private int right;
    private int inside;

    /** Adds the newest {@code limit} points of {@code ring} settled by bars up to {@code upTo}. */
    void add(ResidualRing ring, long upTo, int limit) {
        for (int index : ring.newest(upTo, limit)) {
            double error = 100 * (Math.exp(-ring.residual[index]) - 1);
            double naive = 100 * (Math.exp(-ring.naiveMove[index]) - 1);
            points++;
            absError += Math.abs(error);
            squaredError += error * error;
            naiveAbsError += Math.abs(naive);
            naiveSquaredError += naive * naive;
            if (ring.direction[index] >= 0) {
                moved++;
                right += ring.direction[index];
            }
            inside += ring.inside[index];
        }
    }

    int points() {
        return points;
    }

    /** The figures, or null without points. */
    Accuracy toAccuracy(String symbol, long asOf, String horizon, String modelVersion) {
        if (points == 0) {
            return null;
        }
        double mae = absError / points;
        double naiveMae = naiveAbsError / points;
        return new Accuracy(
                Accuracy.idOf(symbol, horizon, asOf),
                symbol,
                asOf,
                horizon,
                modelVersion,
                points,
                mae,
                Math.sqrt(squaredError / points),
                naiveMae,
                Math.sqrt(naiveSquaredError / points),
                moved == 0 ? null : (double) right / moved,
                (double) inside / points,
                naiveMae == 0 ? null : 1 - mae / naiveMae);
    }
}
