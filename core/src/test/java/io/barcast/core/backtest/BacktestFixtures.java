package io.barcast.core.backtest;

import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Small hand-made validations, trades and runs whose figures the tests work out by hand. */
final class BacktestFixtures {

    static final long MARCH_1 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);

    private BacktestFixtures() {}

    /** A point predicted from a last close of 100, with a band of [lower, upper]. */
    static Validation point(
            String symbol,
            int horizon,
            double predicted,
            double actual,
            double lower,
            double upper) {
        return Validation.of(
                "forecast-" + predicted + "-" + actual,
                symbol,
                MARCH_1,
                MARCH_1 + horizon * FIFTEEN_MINUTES.toMillis(),
                horizon,
                100,
                predicted,
                actual,
                lower,
                upper);
    }

    /**
     * Three points at +1 bar from a last close of 100, worked out by hand in the tests:
     *
     * <pre>
     * predicted actual  error naive error  direction    inside [lower, upper]
     *   102     101      +1     -1         right        yes [99, 103]
     *    99     102      -3     -2         wrong        no  [98, 101]
     *   101     100      +1      0         (no move)    yes [99, 102]
     * </pre>
     */
    static List<Validation> threePoints(String symbol) {
        return List.of(
                point(symbol, 1, 102, 101, 99, 103),
                point(symbol, 1, 99, 102, 98, 101),
                point(symbol, 1, 101, 100, 99, 102));
    }

    static TradeOutcome trade(String symbol, String side, String outcome, double returnPercent) {
        return new TradeOutcome(
                "recommendation-" + side + "-" + outcome + "-" + returnPercent,
                "forecast",
                symbol,
                side,
                MARCH_1,
                100,
                110,
                95,
                outcome,
                MARCH_1 + FIFTEEN_MINUTES.toMillis(),
                100 + returnPercent,
                returnPercent,
                1);
    }

    /**
     * Two long trades (target +2 %, stop -1 %) and two short (expired at 0 %, target +3 %): 2 of 4
     * made money, the mean return is 1 %.
     */
    static List<TradeOutcome> fourTrades(String symbol) {
        return List.of(
                trade(symbol, "long", TradeOutcome.TARGET_HIT, 2.0),
                trade(symbol, "long", TradeOutcome.STOP_HIT, -1.0),
                trade(symbol, "short", TradeOutcome.EXPIRED, 0.0),
                trade(symbol, "short", TradeOutcome.TARGET_HIT, 3.0));
    }

    static RunFacts run(String... symbols) {
        return new RunFacts(
                "lstm-direct",
                "1.4.0",
                List.of(symbols),
                MARCH_1,
                MARCH_1 + Duration.ofDays(7).toMillis(),
                FIFTEEN_MINUTES,
                672 * symbols.length,
                120);
    }
}
