package io.barcast.core.backtest;

import io.barcast.core.TradeOutcome;
import java.util.List;

/**
 * How a set of recommended trades turned out: how many reached the target, hit the stop, expired or
 * were missed (the price was past the target or stop at entry), and of the trades entered the share
 * that made money and the mean return. With no trade entered the share and the mean are {@link
 * Double#NaN}.
 *
 * @param trades how many trades
 * @param targetHit trades that reached their target
 * @param stopHit trades that hit their stop
 * @param expired trades closed at their exit time
 * @param missed trades not entered: the price was already at or past the target or the stop
 * @param successRate share of the trades entered with a positive realized return
 * @param meanRealizedReturnPercent mean realized return of the trades entered, in percent of the
 *     entry price
 */
public record OutcomeSummary(
        int trades,
        int targetHit,
        int stopHit,
        int expired,
        int missed,
        double successRate,
        double meanRealizedReturnPercent) {

    /** The summary of {@code outcomes}. */
    public static OutcomeSummary of(List<TradeOutcome> outcomes) {
        int targetHit = 0;
        int stopHit = 0;
        int expired = 0;
        int missed = 0;
        int succeeded = 0;
        double returns = 0;
        for (TradeOutcome outcome : outcomes) {
            switch (outcome.outcome()) {
                case TradeOutcome.TARGET_HIT -> targetHit++;
                case TradeOutcome.STOP_HIT -> stopHit++;
                case TradeOutcome.EXPIRED -> expired++;
                case TradeOutcome.MISSED -> missed++;
                default -> {
                    // an outcome added later still counts as a trade and in the returns
                }
            }
            if (outcome.entered()) {
                succeeded += outcome.succeeded() ? 1 : 0;
                returns += outcome.realizedReturnPercent();
            }
        }
        int trades = outcomes.size();
        int entered = trades - missed;
        return new OutcomeSummary(
                trades,
                targetHit,
                stopHit,
                expired,
                missed,
                entered == 0 ? Double.NaN : (double) succeeded / entered,
                entered == 0 ? Double.NaN : returns / entered);
    }
}
