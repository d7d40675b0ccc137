package io.barcast.core.recommend;

import java.util.Optional;

/**
 * Finds the best trade a forecast path allows, per side.
 *
 * <p><b>Entry and exit.</b> An entry is either "now" (the forecast's as-of time at the last close)
 * or any point of the path; the exit is any later path point. The best long maximises (exit -
 * entry) / entry, the best short (entry - exit) / entry, found in one pass with the running lowest
 * (long) or highest (short) entry so far. Ties go to the earliest entry, then the earliest exit.
 * There is no idea when no pair is strictly profitable (a flat path, or one moving only against the
 * side). Points whose price is not a positive number are neither entries nor exits.
 *
 * <p><b>Stop-loss.</b> For a long, the lowest lower band bound over the bars held (after entry up
 * to and including exit) if it is below the entry price; otherwise, or without a band, entry ×
 * exp(-2 σ √h), σ being the bar volatility and h the bars held (counting from "now", the path's
 * first bar is 1 bar held). A short mirrors it with the upper band and exp(+2 σ √h). The stop is
 * always at least 0.1% from entry, so the risk is never 0.
 *
 * <p><b>Figures.</b> expected return % = 100 × profit / entry; risk/reward = profit / |entry -
 * stop|, both as price distances.
 */
public final class TradeFinder {

    /** The least distance of a stop from entry, as a fraction of the entry price. */
    static final double MIN_STOP_DISTANCE = 0.001;

    /** The entry index of "now", before the path's first point. */
    private static final int NOW = -1;

    /** No entry yet: "now" had no usable price and no path point has been seen. */
    private static final int NO_ENTRY = Integer.MIN_VALUE;

    private TradeFinder() {}

    /**
     * The most profitable buy-then-sell along the path.
     *
     * @param asOf the time of "now" (the forecast's newest bar start)
     * @param lastClose the price "now"
     * @param times the path's bar starts, ascending
     * @param prices the path's forecast closes
     * @param lower the lower bound of the forecast's band per path point, or null
     * @param upper the upper bound of the forecast's band per path point, or null
     * @param barVolatility the typical log return of one bar, for a stop without a band
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static Optional<TradeIdea> bestLong(
            long asOf,
            double lastClose,
            long[] times,
            double[] prices,
            double[] lower,
            double[] upper,
            double barVolatility) {
        return best(TradeSide.LONG, asOf, lastClose, times, prices, lower, upper, barVolatility);
    }

    /** The most profitable sell-then-buy along the path; the arguments as {@link #bestLong}. */
    public static Optional<TradeIdea> bestShort(
            long asOf,
            double lastClose,
            long[] times,
            double[] prices,
            double[] lower,
            double[] upper,
            double barVolatility) {
        return best(TradeSide.SHORT, asOf, lastClose, times, prices, lower, upper, barVolatility);
    }

    /** The best trade on {@code side}; the arguments as {@link #bestLong}. */
    public static Optional<TradeIdea> best(
            TradeSide side,
            long asOf,
            double lastClose,
            long[] times,
            double[] prices,
            double[] lower,
            double[] upper,
            double barVolatility) {
        checkLengths(times, prices, lower, upper);
        // The entry index: NOW for "now", else a path index. Strict comparisons keep the earliest
        // of equal entries and of equal exits, which is the tie rule.
        int bestEntry = NOW;
        int bestExit = -1;
        double bestProfit = 0;
        int entry = positive(lastClose) ? NOW : NO_ENTRY;
        double entryPrice = positive(lastClose) ? lastClose : Double.NaN;
        for (int i = 0; i < prices.length; i++) {
            if (!positive(prices[i])) {
                continue;
            }
            if (entry != NO_ENTRY) {
                double profit = profit(side, entryPrice, prices[i]);
                if (profit > bestProfit) {
                    bestProfit = profit;
                    bestEntry = entry;
                    bestExit = i;
                }
            }
            if (entry == NO_ENTRY || better(side, prices[i], entryPrice)) {
                entry = i;
                entryPrice = prices[i];
            }
        }
        if (bestExit < 0) {
            return Optional.empty();
        }
        long entryTime = bestEntry == NOW ? asOf : times[bestEntry];
        double entryAt = bestEntry == NOW ? lastClose : prices[bestEntry];
        double target = prices[bestExit];
        double stop = stopLoss(side, entryAt, bestEntry, bestExit, lower, upper, barVolatility);
        double reward = Math.abs(target - entryAt);
        return Optional.of(
                new TradeIdea(
                        side,
                        entryTime,
                        entryAt,
                        times[bestExit],
                        target,
                        stop,
                        100 * reward / entryAt,
                        reward / Math.abs(entryAt - stop)));
    }

    private static double stopLoss(
            TradeSide side,
            double entryPrice,
            int entry,
            int exit,
            double[] lower,
            double[] upper,
            double barVolatility) {
        double[] band = side == TradeSide.LONG ? lower : upper;
        double stop = Double.NaN;
        if (band != null) {
            double extreme = side == TradeSide.LONG ? Double.MAX_VALUE : -Double.MAX_VALUE;
            for (int k = entry + 1; k <= exit; k++) {
                if (positive(band[k])) {
                    extreme =
                            side == TradeSide.LONG
                                    ? Math.min(extreme, band[k])
                                    : Math.max(extreme, band[k]);
                }
            }
            if (side == TradeSide.LONG ? extreme < entryPrice : extreme > entryPrice) {
                stop = extreme;
            }
        }
        if (Double.isNaN(stop)) {
            double sigma = Double.isFinite(barVolatility) && barVolatility > 0 ? barVolatility : 0;
            double distance = 2 * sigma * Math.sqrt(exit - entry);
            stop = entryPrice * Math.exp(side == TradeSide.LONG ? -distance : distance);
        }
        return side == TradeSide.LONG
                ? Math.min(stop, entryPrice * (1 - MIN_STOP_DISTANCE))
                : Math.max(stop, entryPrice * (1 + MIN_STOP_DISTANCE));
    }

    private static double profit(TradeSide side, double entry, double exit) {
        return side == TradeSide.LONG ? (exit - entry) / entry : (entry - exit) / entry;
    }

    /** Whether {@code price} is a strictly better entry than {@code current} on {@code side}. */
    private static boolean better(TradeSide side, double price, double current) {
        return side == TradeSide.LONG ? price < current : price > current;
    }

    private static boolean positive(double price) {
        return price > 0 && Double.isFinite(price);
    }

    private static void checkLengths(
            long[] times, double[] prices, double[] lower, double[] upper) {
        if (times == null || prices == null || times.length != prices.length) {
            throw new IllegalArgumentException(
                    "forecast path needs as many times as prices, got "
                            + (times == null ? "no" : times.length)
                            + " times and "
                            + (prices == null ? "no" : prices.length)
                            + " prices");
        }
        if ((lower != null && lower.length != prices.length)
                || (upper != null && upper.length != prices.length)) {
            throw new IllegalArgumentException(
                    "forecast band needs one bound per path point ("
                            + prices.length
                            + "), got lower "
                            + (lower == null ? "none" : lower.length)
                            + ", upper "
                            + (upper == null ? "none" : upper.length));
        }
    }
}
