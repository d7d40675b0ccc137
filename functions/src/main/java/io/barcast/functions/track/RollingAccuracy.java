package io.barcast.functions.track;

import io.barcast.core.Accuracy;
import io.barcast.core.AccuracyTotals;

/**
 * Settled forecast points of residual rings, totalled into an {@link Accuracy} by {@link
 * AccuracyTotals} (the definitions the query API shares). A point's errors come from its ring:
 * {@code 100 (predicted - actual) / actual = 100 (exp(-residual) - 1)} for the forecast and {@code
 * 100 (exp(-naiveMove) - 1)} for "no change", the same figures a validation carries.
 */
final class RollingAccuracy {

    private final AccuracyTotals totals = new AccuracyTotals();

    /** Adds the newest {@code limit} points of {@code ring} settled by bars up to {@code upTo}. */
    void add(ResidualRing ring, long upTo, int limit) {
        for (int index : ring.newest(upTo, limit)) {
            byte direction = ring.direction[index];
            totals.add(
                    100 * (Math.exp(-ring.residual[index]) - 1),
                    100 * (Math.exp(-ring.naiveMove[index]) - 1),
                    direction < 0 ? null : direction == 1,
                    ring.inside[index] == 1);
        }
    }

    /** The figures, or null without points. */
    Accuracy toAccuracy(String symbol, long asOf, String horizon, String modelVersion) {
        return totals.toAccuracy(symbol, asOf, horizon, modelVersion);
    }
}
