package io.barcast.core.calendar;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * When a market trades, at the granularity of bars. A bar start is an epoch-millisecond instant on
 * the interval grid at which the market is open for the whole bar.
 *
 * <p>Two calendars exist: {@link RegularSession#XNYS}, the New York Stock Exchange with its
 * holidays and early closes, and {@link AroundTheClock#INSTANCE} ({@code 24x7}) for crypto.
 * Calendars are serializable, so operators can carry them.
 */
public interface MarketCalendar extends Serializable {

    /** The names {@link #byName} knows, as {@link #name()} spells them. */
    List<String> NAMES = List.of("XNYS", "24x7");

    /**
     * A short name for logs, model metadata and configuration, e.g. {@code XNYS} or {@code 24x7}.
     */
    String name();

    /** Whether a bar of {@code interval} starting at {@code barStart} lies inside a session. */
    boolean isBarStart(long barStart, Duration interval);

    /** The first bar start strictly after {@code barStart}. */
    long nextBarStart(long barStart, Duration interval);

    /**
     * When the trading session that {@code barStart} lies in opened (epoch ms): with {@link
     * #sessionClose} it tells how far into its session a bar is. For {@code 24x7} a session is a
     * UTC day.
     *
     * @throws IllegalArgumentException if the market is not in session at {@code barStart}
     */
    long sessionOpen(long barStart);

    /**
     * When the trading session that {@code barStart} lies in closes (epoch ms, exclusive): 13:00
     * New York time on an NYSE early close, the next UTC midnight for {@code 24x7}.
     *
     * @throws IllegalArgumentException if the market is not in session at {@code barStart}
     */
    long sessionClose(long barStart);

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

    /**
     * {@code time} plus {@code days} calendar days in the market's own time zone, so a week after
     * Friday 15:45 in New York is the next Friday 15:45 there, across a daylight-saving switch too.
     */
    default long plusDays(long time, int days) {
        return time + days * 86_400_000L;
    }

    /**
     * The bar starts after {@code asOfBarStart} up to and including the same time {@code days}
     * calendar days later ({@link #plusDays}): the times a forecast of {@code days} days speaks of.
     */
    default long[] barStartsWithinDays(long asOfBarStart, int days, Duration interval) {
        return barStartsWithin(
                asOfBarStart,
                Duration.ofMillis(plusDays(asOfBarStart, days) - asOfBarStart),
                interval);
    }

    /** The calendar of a symbol: crypto pairs ({@code X:BTCUSD}) trade around the clock. */
    static MarketCalendar forSymbol(String symbol) {
        return symbol.startsWith("X:") ? AroundTheClock.INSTANCE : RegularSession.XNYS;
    }

    /**
     * The calendar called {@code name} ({@code XNYS} or {@code 24x7}), for configuring a symbol's
     * calendar by name.
     *
     * @throws IllegalArgumentException if no calendar has that name; the message lists the names
     */
    static MarketCalendar byName(String name) {
        return switch (name) {
            case "XNYS" -> RegularSession.XNYS;
            case "24x7" -> AroundTheClock.INSTANCE;
            default ->
                    throw new IllegalArgumentException(
                            "Unknown market calendar '"
                                    + name
                                    + "', known: "
                                    + String.join(", ", NAMES));
        };
    }
}
