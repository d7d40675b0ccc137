package io.barcast.core.calendar;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a market trades, at the granularity of bars. A bar start is an epoch-millisecond instant on
 * the interval grid at which the market is open for the whole bar.
 */
public interface MarketCalendar extends Serializable {

    /**
     * A short name for logs, model metadata and configuration, e.g. {@code XNYS} or {@code 24x7}.
     */
    String name();

    /** Whether a bar of {@code interval} starting at {@code barStart} lies inside a session. */
    boolean isBarStart(long barStart, Duration interval);

    /** The first bar start strictly after {@code barStart}. */
    long nextBarStart(long barStart, Duration interval);

    /** The first bar start at or after {@code time}. */
    default long firstBarStartAtOrAfter(long time, Duration interval) {
        long step = interval.toMillis();
        long aligned = Math.floorDiv(time + step - 1, step) * step;
        return isBarStart(aligned, interval) ? aligned : nextBarStart(aligned, interval);
    }

    /**
     * The bar starts after {@code asOfBarStart} up to and including {@code asOfBarStart + horizon}:
     * the times a forecast made on the bar at {@code asOfBarStart} speaks of.
     */
    default long[] barStartsWithin(long asOfBarStart, Duration horizon, Duration interval) {
        long end = asOfBarStart + horizon.toMillis();
        long[] buffer = new long[(int) (horizon.toMillis() / interval.toMillis()) + 1];
        int count = 0;
        for (long t = nextBarStart(asOfBarStart, interval);
                t <= end && count < buffer.length;
                t = nextBarStart(t, interval)) {
            buffer[count++] = t;
        }
        return java.util.Arrays.copyOf(buffer, count);
    }

    /** The calendar of a symbol: crypto pairs ({@code X:BTCUSD}) trade around the clock. */
    static MarketCalendar forSymbol(String symbol) {
        return symbol.startsWith("X:") ? AroundTheClock.INSTANCE : RegularSession.XNYS;
    }
}
