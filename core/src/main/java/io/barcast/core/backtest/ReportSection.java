package io.barcast.core.backtest;

import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.core.recommend.TradeSide;
import java.util.List;

/**
 * The results of one symbol, or of all symbols together: the accuracy at each horizon and how the
 * trades turned out, in all and by side.
 *
 * @param name the symbol, or {@link BacktestReport#ALL_SYMBOLS}
 * @param horizons the accuracy at each horizon, shortest first; empty when nothing was validated
 * @param trades all trades
 * @param longTrades the long trades
 * @param shortTrades the short trades
 */
public record ReportSection(
        String name,
        List<HorizonAccuracy> horizons,
        OutcomeSummary trades,
        OutcomeSummary longTrades,
        OutcomeSummary shortTrades) {

    public ReportSection {
        horizons = List.copyOf(horizons);
    }

    /** The section named {@code name} over {@code validations} and {@code outcomes}. */
    public static ReportSection of(
            String name, List<Validation> validations, List<TradeOutcome> outcomes) {
        return new ReportSection(
                name,
                HorizonAccuracy.byHorizon(validations),
                OutcomeSummary.of(outcomes),
                OutcomeSummary.of(onSide(outcomes, TradeSide.LONG)),
                OutcomeSummary.of(onSide(outcomes, TradeSide.SHORT)));
    }

    private static List<TradeOutcome> onSide(List<TradeOutcome> outcomes, TradeSide side) {
        return outcomes.stream().filter(o -> side.label().equals(o.side())).toList();
    }
}
