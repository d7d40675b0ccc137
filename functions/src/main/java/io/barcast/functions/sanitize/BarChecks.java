package io.barcast.functions.sanitize;

import io.barcast.core.Bar;
import io.barcast.core.Symbols;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules a bar must keep to enter state: a symbol of the symbol grammar, finite positive prices
 * that make a bar, a volume, a start on the bar grid, and a plausible time. The {@link
 * BarSanitizer} rejects what breaks them and {@link BarEventTime} keeps such bars out of event
 * time, so both ask this one class.
 *
 * <p>Plausible time: between 1970 and 2100 (anything else is seconds, micro- or nanoseconds, or
 * junk), and, for sources that deliver what happened (replay, Polygon, Kafka), a bar that ends no
 * later than {@code maxAhead} after the wall clock. A bar from the future would otherwise become
 * its symbol's newest (every real bar after it rejected as late) and carry the watermark, and with
 * it every symbol's TTL timers, years ahead. The simulator runs on a clock of its own and is not
 * held to the wall clock.
 */
public final class BarChecks implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final long EARLIEST = 0;
    private static final long LATEST = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private final long intervalMillis;
    private final long maxAheadMillis;
    private final Clock clock;

    private BarChecks(Duration interval, Duration maxAhead, Clock clock) {
        this.intervalMillis = interval.toMillis();
        this.maxAheadMillis = maxAhead == null ? Long.MAX_VALUE : maxAhead.toMillis();
        this.clock = clock;
    }

    /** Checks bars of a source of real bars: no bar may end more than maxAhead after the clock. */
    public static BarChecks againstClock(Duration interval, Duration maxAhead, Clock clock) {
        return new BarChecks(interval, maxAhead, clock);
    }

    /** Checks bars of a source with a clock of its own (the simulator). */
    public static BarChecks withoutClock(Duration interval) {
        return new BarChecks(interval, null, Clock.systemUTC());
    }

    /** Why a bar cannot be used, or null when it can. */
    public String problemOf(Bar bar) {
        String symbolProblem = Symbols.problemOf(bar.symbol());
        if (symbolProblem != null) {
            return symbolProblem;
        }
        double[] prices = {bar.open(), bar.high(), bar.low(), bar.close()};
        String[] names = {"open", "high", "low", "close"};
        for (int i = 0; i < prices.length; i++) {
            if (!Double.isFinite(prices[i])) {
                return names[i] + " price is not finite: " + prices[i];
            }
            if (prices[i] <= 0) {
                return names[i] + " price is not positive: " + prices[i];
            }
        }
        if (bar.high() < Math.max(bar.open(), bar.close())) {
            return "high " + bar.high() + " is below max(open, close)";
        }
        if (bar.low() > Math.min(bar.open(), bar.close())) {
            return "low " + bar.low() + " is above min(open, close)";
        }
        if (!Double.isFinite(bar.volume()) || bar.volume() < 0) {
            return "volume is negative or not finite: " + bar.volume();
        }
        if (bar.time() < EARLIEST || bar.time() >= LATEST) {
            return "time "
                    + bar.time()
                    + " is not a bar start in epoch milliseconds between 1970 and 2100";
        }
        if (Math.floorMod(bar.time(), intervalMillis) != 0) {
            return "time "
                    + Instant.ofEpochMilli(bar.time())
                    + " is not on the "
                    + Duration.ofMillis(intervalMillis).toMinutes()
                    + "-minute bar grid";
        }
        if (maxAheadMillis != Long.MAX_VALUE) {
            long now = clock.millis();
            if (bar.time() + intervalMillis > now + maxAheadMillis) {
                return "bar "
                        + Instant.ofEpochMilli(bar.time())
                        + " ends more than "
                        + Duration.ofMillis(maxAheadMillis).toString().substring(2).toLowerCase()
                        + " after the clock ("
                        + Instant.ofEpochMilli(now)
                        + "): a bar from the future (time.max-ahead)";
            }
        }
        return null;
    }

    /** The bar as it enters state: its symbol in its one spelling. */
    public Bar normalized(Bar bar) {
        String symbol = Symbols.normalize(bar.symbol());
        return symbol.equals(bar.symbol()) ? bar : bar.withSymbol(symbol);
    }

    public long intervalMillis() {
        return intervalMillis;
    }
}
