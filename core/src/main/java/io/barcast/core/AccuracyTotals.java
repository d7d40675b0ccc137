package io.barcast.core;

/**
 * Running totals over validated forecast points and the {@link Accuracy} figures they give: the one
 * definition of those figures, shared by the job's rolling accuracy and the query API's performance
 * endpoints. A point's errors are in percent of the actual price, as a {@link Validation} carries
 * them; totals over disjoint sets of points merge with {@link #add(AccuracyTotals)}, so a database
 * may sum per step and the caller add the steps of a bucket.
 */
public final class AccuracyTotals {

    private long points;
    private double absError;
    private double squaredError;
    private double naiveAbsError;
    private double naiveSquaredError;
    private long moved;
    private long right;
    private long inside;

    /**
     * Adds one point.
     *
     * @param errorPercent {@code 100 (predicted - actual) / actual}
     * @param naiveErrorPercent {@code 100 (lastClose - actual) / actual}
     * @param directionRight whether the forecast moved the way the price did; null when the price
     *     did not move (the point then counts for no direction)
     * @param insideBand whether the actual close was inside the forecast's band
     */
    public void add(
            double errorPercent,
            double naiveErrorPercent,
            Boolean directionRight,
            boolean insideBand) {
        points++;
        absError += Math.abs(errorPercent);
        squaredError += errorPercent * errorPercent;
        naiveAbsError += Math.abs(naiveErrorPercent);
        naiveSquaredError += naiveErrorPercent * naiveErrorPercent;
        if (directionRight != null) {
            moved++;
            right += directionRight ? 1 : 0;
        }
        inside += insideBand ? 1 : 0;
    }

    /** Adds the points of {@code other}, which must be other points than these. */
    public void add(AccuracyTotals other) {
        points += other.points;
        absError += other.absError;
        squaredError += other.squaredError;
        naiveAbsError += other.naiveAbsError;
        naiveSquaredError += other.naiveSquaredError;
        moved += other.moved;
        right += other.right;
        inside += other.inside;
    }

    /**
     * Totals summed elsewhere (e.g. by SQL over validation rows).
     *
     * @param points the points
     * @param absError the sum of |error percent|
     * @param squaredError the sum of error percent squared
     * @param naiveAbsError the sum of |naive error percent|
     * @param naiveSquaredError the sum of naive error percent squared
     * @param moved the points whose price moved (direction known)
     * @param right of those, the points whose direction was right
     * @param inside the points inside their band
     */
    public static AccuracyTotals of(
            long points,
            double absError,
            double squaredError,
            double naiveAbsError,
            double naiveSquaredError,
            long moved,
            long right,
            long inside) {
        AccuracyTotals totals = new AccuracyTotals();
        totals.points = points;
        totals.absError = absError;
        totals.squaredError = squaredError;
        totals.naiveAbsError = naiveAbsError;
        totals.naiveSquaredError = naiveSquaredError;
        totals.moved = moved;
        totals.right = right;
        totals.inside = inside;
        return totals;
    }

    public long points() {
        return points;
    }

    /** Mean absolute error in percent of the actual price (which makes it the MAPE). */
    public double maePercent() {
        return absError / points;
    }

    public double rmsePercent() {
        return Math.sqrt(squaredError / points);
    }

    public double naiveMaePercent() {
        return naiveAbsError / points;
    }

    public double naiveRmsePercent() {
        return Math.sqrt(naiveSquaredError / points);
    }

    /** Share of the points where the price moved whose direction was right; null if none moved. */
    public Double directionalAccuracy() {
        return moved == 0 ? null : (double) right / moved;
    }

    public double bandCoverage() {
        return (double) inside / points;
    }

    /** {@code 1 - mae / naive mae}: above 0 beats "no change"; null when the naive error is 0. */
    public Double skill() {
        double naiveMae = naiveMaePercent();
        return naiveMae == 0 ? null : 1 - maePercent() / naiveMae;
    }

    /** The figures as of a forecast's bar, or null without points. */
    public Accuracy toAccuracy(String symbol, long asOf, String horizon, String modelVersion) {
        if (points == 0) {
            return null;
        }
        return new Accuracy(
                Accuracy.idOf(symbol, horizon, asOf),
                symbol,
                asOf,
                horizon,
                modelVersion,
                Math.toIntExact(points),
                maePercent(),
                rmsePercent(),
                naiveMaePercent(),
                naiveRmsePercent(),
                directionalAccuracy(),
                bandCoverage(),
                skill());
    }
}
