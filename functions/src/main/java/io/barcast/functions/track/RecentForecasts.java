package io.barcast.functions.track;

import io.barcast.core.Recommendation;

/**
 * A symbol's latest forecasts as the next ones need them: their paths at the model's steps (for the
 * stability factor), and the trades of the newest (for superseding them).
 */
public class RecentForecasts {

    /** Forecasts kept: enough for results that overtake each other in the async inference. */
    static final int KEPT = 4;

    public long[] asOf = new long[0];
    public long[] sequence = new long[0];
    public long[][] times = new long[0][];
    public double[][] prices = new double[0][];

    /** The newest forecast's id, as-of time and sequence, and its trades that are still active. */
    public String activeFor;

    public long activeAsOf = Long.MIN_VALUE;
    public long activeSequence = Long.MIN_VALUE;
    public Recommendation[] active = new Recommendation[0];

    public RecentForecasts() {}

    /** The index of the newest forecast made before {@code before}, or -1. */
    public int latestBefore(long before) {
        int best = -1;
        for (int i = 0; i < asOf.length; i++) {
            if (asOf[i] < before && (best < 0 || asOf[i] > asOf[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Whether a forecast as of {@code asOf} with {@code seq} is newer than the active one. */
    public boolean isNewerThanActive(long forecastAsOf, long forecastSequence) {
        return forecastAsOf > activeAsOf
                || (forecastAsOf == activeAsOf && forecastSequence > activeSequence);
    }

    /**
     * Keeps a forecast's path at the model's steps; of two forecasts of the same time the newer
     * (higher sequence) stays.
     */
    public void keep(
            long forecastAsOf, long forecastSequence, long[] stepTimes, double[] stepPrices) {
        int slot = -1;
        for (int i = 0; i < asOf.length; i++) {
            if (asOf[i] == forecastAsOf) {
                if (sequence[i] > forecastSequence) {
                    return;
                }
                slot = i;
            }
        }
        if (slot < 0 && asOf.length < KEPT) {
            slot = asOf.length;
            asOf = java.util.Arrays.copyOf(asOf, slot + 1);
            sequence = java.util.Arrays.copyOf(sequence, slot + 1);
            times = java.util.Arrays.copyOf(times, slot + 1);
            prices = java.util.Arrays.copyOf(prices, slot + 1);
        } else if (slot < 0) {
            slot = 0;
            for (int i = 1; i < asOf.length; i++) {
                if (asOf[i] < asOf[slot]) {
                    slot = i;
                }
            }
            if (asOf[slot] > forecastAsOf) {
                return; // older than all kept: no later forecast will ask for it
            }
        }
        asOf[slot] = forecastAsOf;
        sequence[slot] = forecastSequence;
        times[slot] = stepTimes;
        prices[slot] = stepPrices;
    }
}
