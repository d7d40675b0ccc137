package io.barcast.functions.track;

import io.barcast.core.Recommendation;
import io.barcast.core.TradeOutcome;
import io.barcast.core.recommend.TradeSide;

/**
 * A recommended trade followed against the actual bars until its outcome is known (see {@link
 * TradeOutcome} for the rules). A Flink POJO, kept in the tracker's list state.
 */
public class OpenTrade {

    public String recommendationId;
    public String predictionId;
    public String symbol;
    public String side;
    public long entryTime;
    public long exitTime;
    public double targetPrice;
    public double stopLoss;

    /** Start of the bar the trade was entered at, or {@link Long#MIN_VALUE} before. */
    public long enteredAt = Long.MIN_VALUE;

    public double entryPrice = Double.NaN;

    /** Bars seen since entry, the one that ends the trade included. */
    public int barsHeld;

    public OpenTrade() {}

    static OpenTrade of(Recommendation r) {
        OpenTrade trade = new OpenTrade();
        trade.recommendationId = r.id();
        trade.predictionId = r.predictionId();
        trade.symbol = r.symbol();
        trade.side = r.side();
        trade.entryTime = r.entryTime();
        trade.exitTime = r.exitTime();
        trade.targetPrice = r.targetPrice();
        trade.stopLoss = r.stopLoss();
        return trade;
    }

    /**
     * Follows the trade through the next bar (bars come in time order).
     *
     * @return the outcome when this bar ends the trade, else null
     */
    TradeOutcome observe(long time, double open, double high, double low, double close) {
        boolean isLong = TradeSide.LONG.label().equals(side);
        if (enteredAt == Long.MIN_VALUE) {
            if (time < entryTime) {
                return null;
            }
            enteredAt = time;
            entryPrice = close;
            boolean pastTarget = isLong ? close >= targetPrice : close <= targetPrice;
            boolean pastStop = isLong ? close <= stopLoss : close >= stopLoss;
            // the price the trade was to move to (or away from) is already there
            return pastTarget || pastStop ? outcome(TradeOutcome.MISSED, time, close) : null;
        }
        if (time <= enteredAt) {
            return null;
        }
        barsHeld++;
        boolean stopped = isLong ? low <= stopLoss : high >= stopLoss;
        boolean reached = isLong ? high >= targetPrice : low <= targetPrice;
        // a bar that opens beyond a level fills there, at the open, not at the level
        if (stopped) {
            return outcome(
                    TradeOutcome.STOP_HIT,
                    time,
                    isLong ? Math.min(open, stopLoss) : Math.max(open, stopLoss));
        }
        if (reached) {
            return outcome(
                    TradeOutcome.TARGET_HIT,
                    time,
                    isLong ? Math.max(open, targetPrice) : Math.min(open, targetPrice));
        }
        if (time >= exitTime) {
            return outcome(TradeOutcome.EXPIRED, time, close);
        }
        return null;
    }

    private TradeOutcome outcome(String outcome, long time, double exitPrice) {
        boolean isLong = TradeSide.LONG.label().equals(side);
        double move = (exitPrice - entryPrice) / entryPrice;
        return new TradeOutcome(
                recommendationId,
                predictionId,
                symbol,
                side,
                enteredAt,
                entryPrice,
                targetPrice,
                stopLoss,
                outcome,
                time,
                exitPrice,
                100 * (isLong ? move : -move),
                barsHeld);
    }
}
