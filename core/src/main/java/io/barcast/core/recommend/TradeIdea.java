package io.barcast.core.recommend;

/**
 * The most profitable trade a forecast path allows on one side, found by {@link TradeFinder}.
 *
 * @param side long or short
 * @param entryTime when to enter (epoch ms): the forecast's as-of time for "now", else a bar start
 *     of the path
 * @param entryPrice the price at entry: the last close for "now", else the path's price
 * @param exitTime the path's bar start at which to exit
 * @param targetPrice the path's price at exit
 * @param stopLoss the price at which to give up: below entry for long, above for short
 * @param expectedReturnPercent 100 × profit / entry price, profit being the price distance from
 *     entry to target in the trade's favour
 * @param riskReward |target - entry| / |entry - stop|
 */
public record TradeIdea(
        TradeSide side,
        long entryTime,
        double entryPrice,
        long exitTime,
        double targetPrice,
        double stopLoss,
        double expectedReturnPercent,
        double riskReward) {}
