package io.barcast.core;

/**
 * How a recommended trade turned out against the actual bars: the target was reached, the stop was
 * hit, or neither by its exit time ({@code expired}, closed at that bar's close); or it was {@code
 * missed}: at its entry bar the actual price was already at or past the target or the stop, so the
 * trade as recommended could not be made (return 0, left out of success rates).
 *
 * <p>The trade is entered at the actual close of its entry bar (the first bar at or after the entry
 * time). From the next bar on, a bar whose range reaches the target or the stop ends it at that
 * price (at the bar's open when it opened beyond it); when one bar reaches both, the stop is taken,
 * since a bar does not say which came first. A trade still open when the bars end, or when its
 * symbol's state expires, has no outcome.
 *
 * @param recommendationId the recommendation (its id)
 * @param predictionId the forecast it came from
 * @param symbol the symbol
 * @param side {@code long} or {@code short}
 * @param entryTime start (epoch ms) of the bar the trade was entered at
 * @param entryPrice the actual close of that bar
 * @param targetPrice the recommendation's target
 * @param stopLoss the recommendation's stop-loss
 * @param outcome {@code target_hit}, {@code stop_hit}, {@code expired} or {@code missed}
 * @param exitTime start (epoch ms) of the bar the trade ended in
 * @param exitPrice the price it ended at: the target, the stop, or the exit bar's close
 * @param realizedReturnPercent the return on the entry price, in percent, signed for the side
 * @param barsHeld bars from entry to exit
 */
public record TradeOutcome(
        String recommendationId,
        String predictionId,
        String symbol,
        String side,
        long entryTime,
        double entryPrice,
        double targetPrice,
        double stopLoss,
        String outcome,
        long exitTime,
        double exitPrice,
        double realizedReturnPercent,
        int barsHeld) {

    public static final String TARGET_HIT = "target_hit";
    public static final String STOP_HIT = "stop_hit";
    public static final String EXPIRED = "expired";
    public static final String MISSED = "missed";

    /** Whether the trade was entered at all. */
    public boolean entered() {
        return !MISSED.equals(outcome);
    }

    /** Whether the trade made money. */
    public boolean succeeded() {
        return realizedReturnPercent > 0;
    }
}
