package io.barcast.functions.track;

import io.barcast.core.confidence.TrackRecord;
import java.util.Arrays;

/**
 * The latest settled forecast points of one model step: each point's residual {@code ln(actual /
 * predicted)}, the actual move {@code ln(actual / last close)} (the naive "no change" forecast's
 * error), whether the direction was right, whether the actual close was inside the band, and the
 * time of the bar that settled it. A forecast uses exactly the points settled by bars up to its own
 * time, whatever order bars and forecasts reached the tracker in, so the ring keeps some room
 * beyond the window for points settled by bars that overtook forecasts still to be built.
 */
public class ResidualRing {

    public double[] residual;

    /** {@code ln(actual / base)}: the naive forecast's error, signed. */
    public double[] naiveMove;

    /** 1 when the predicted direction was right, 0 when wrong, -1 when the price did not move. */
    public byte[] direction;

    /** 1 when the actual close was inside the forecast's band, else 0. */
    public byte[] inside;

    /** Start of the bar that settled each point. */
    public long[] times;

    /** The as-of time and sequence of the forecast each point belongs to. */
    public long[] asOf;

    public long[] sequence;

    public int head = -1;
    public int count;

    public ResidualRing() {}

    public static ResidualRing create(int capacity) {
        ResidualRing ring = new ResidualRing();
        ring.residual = new double[capacity];
        ring.naiveMove = new double[capacity];
        ring.direction = new byte[capacity];
        ring.inside = new byte[capacity];
        ring.times = new long[capacity];
        ring.asOf = new long[capacity];
        ring.sequence = new long[capacity];
        return ring;
    }

    /**
     * Settles the point of the forecast made as of {@code pointAsOf} (request number {@code
     * pointSequence}) from {@code base}, predicted at {@code predicted}, by the bar starting at
     * {@code barTime} that closed at {@code actual}, inside the forecast's band or not. Another
     * forecast of the same bar (a revision, a new model) settles the same point: the newer one's
     * figures stay.
     *
     * @return whether the point was settled (false: a newer forecast's point is there already)
     */
    public boolean settle(
            long pointAsOf,
            long pointSequence,
            long barTime,
            double base,
            double predicted,
            double actual,
            boolean insideBand) {
        if (naiveMove == null || inside == null) {
            // a ring restored from a savepoint taken before these were kept: its older points
            // count as unmoved and outside the band until the ring has turned over
            naiveMove = new double[residual.length];
            inside = new byte[residual.length];
        }
        int at = -1;
        for (int i = 0; i < count; i++) {
            int index = Math.floorMod(head - i, residual.length);
            if (asOf[index] == pointAsOf) {
                if (sequence[index] > pointSequence) {
                    return false;
                }
                at = index;
                break;
            }
        }
        if (at < 0) {
            head = (head + 1) % residual.length;
            count = Math.min(count + 1, residual.length);
            at = head;
        }
        double actualMove = Math.log(actual / base);
        double predictedMove = Math.log(predicted / base);
        residual[at] = Math.log(actual / predicted);
        naiveMove[at] = actualMove;
        inside[at] = (byte) (insideBand ? 1 : 0);
        direction[at] =
                actualMove == 0
                        ? (byte) -1
                        : (byte) (Math.signum(actualMove) == Math.signum(predictedMove) ? 1 : 0);
        times[at] = barTime;
        asOf[at] = pointAsOf;
        sequence[at] = pointSequence;
        return true;
    }

    /**
     * The indexes of the newest {@code limit} points settled by bars up to {@code upTo}, newest
     * first; by time, not by arrival.
     */
    int[] newest(long upTo, int limit) {
        Integer[] eligible = new Integer[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            int index = Math.floorMod(head - i, residual.length);
            if (times[index] <= upTo) {
                eligible[n++] = index;
            }
        }
        Arrays.sort(
                eligible,
                0,
                n,
                (a, b) ->
                        times[a] != times[b]
                                ? Long.compare(times[b], times[a])
                                : Long.compare(asOf[b], asOf[a]));
        int[] out = new int[Math.min(n, limit)];
        for (int i = 0; i < out.length; i++) {
            out[i] = eligible[i];
        }
        return out;
    }

    /**
     * The median residual of the newest {@code limit} points settled by bars up to {@code upTo}:
     * how far the actual price sat from this step's forecasts lately, in log terms. 0 with fewer
     * than {@code minPoints} points.
     */
    public double medianResidual(long upTo, int limit, int minPoints) {
        double[] recent = residualsUpTo(upTo, limit);
        if (recent.length < Math.max(1, minPoints)) {
            return 0;
        }
        Arrays.sort(recent);
        int mid = recent.length / 2;
        return recent.length % 2 == 1 ? recent[mid] : (recent[mid - 1] + recent[mid]) / 2;
    }

    /** The residuals of {@link #newest}. */
    public double[] residualsUpTo(long upTo, int limit) {
        int[] picked = newest(upTo, limit);
        double[] out = new double[picked.length];
        for (int i = 0; i < picked.length; i++) {
            out[i] = residual[picked[i]];
        }
        return out;
    }

    /** Sums of errors and direction over points, to make a {@link TrackRecord} of some steps. */
    public static final class Tally {
        private int points;
        private int moved;
        private int right;
        private double modelError;
        private double naiveError;

        /** Adds the points of {@link #newest} of {@code ring}. */
        public void add(ResidualRing ring, long upTo, int limit) {
            for (int index : ring.newest(upTo, limit)) {
                points++;
                modelError += Math.abs(ring.residual[index]);
                naiveError += Math.abs(ring.naiveMove[index]);
                if (ring.direction[index] >= 0) {
                    moved++;
                    right += ring.direction[index];
                }
            }
        }

        public TrackRecord toTrackRecord() {
            if (points == 0) {
                return TrackRecord.NONE;
            }
            return new TrackRecord(
                    points,
                    modelError / points,
                    naiveError / points,
                    moved == 0 ? 0.5 : (double) right / moved);
        }
    }
}
