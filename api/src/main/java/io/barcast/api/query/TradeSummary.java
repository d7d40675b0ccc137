package io.barcast.api.query;

/**
 * How a symbol's trades of one side turned out, with the definitions of the {@code trade_success}
 * view (sql/postgres/V4): every trade counts in {@code trades} and its outcome; the success rate
 * and the mean return are over the trades that were entered (not missed), null when none was.
 *
 * @param successRate share of the entered trades whose realised return was above 0
 * @param meanReturnPercent mean realised return of the entered trades, signed for the side
 */
public record TradeSummary(
        String symbol,
        String side,
        long trades,
        long targetHit,
        long stopHit,
        long expired,
        long missed,
        Double successRate,
        Double meanReturnPercent) {}
