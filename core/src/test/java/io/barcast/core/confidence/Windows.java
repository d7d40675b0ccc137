package io.barcast.core.confidence;

import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.calendar.RegularSession;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;

/** Crafted bar windows for the confidence tests. */
final class Windows {

    static final Duration INTERVAL = Duration.ofMinutes(15);
    static final MarketCalendar XNYS = RegularSession.XNYS;
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** Monday 2024-01-08 09:30 New York: the first bar of a week. */
    static final long MONDAY_OPEN = newYork(2024, 1, 8, 9, 30);

    private Windows() {}

    static long newYork(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute)
                .atZone(NEW_YORK)
                .toInstant()
                .toEpochMilli();
    }

    /** {@code count} consecutive bar starts of {@code calendar} from {@code first}. */
    static long[] barStarts(MarketCalendar calendar, long first, int count) {
        long[] times = new long[count];
        long t = calendar.firstBarStartAtOrAfter(first, INTERVAL);
        for (int i = 0; i < count; i++) {
            times[i] = t;
            t = calendar.nextBarStart(t, INTERVAL);
        }
        return times;
    }

    /** Closes starting at 100 and moving by the given log returns, one per bar after the first. */
    static double[] closes(double... logReturns) {
        double[] close = new double[logReturns.length + 1];
        close[0] = 100;
        for (int i = 0; i < logReturns.length; i++) {
            close[i + 1] = close[i] * Math.exp(logReturns[i]);
        }
        return close;
    }

    /** {@code count} log returns alternating +size, -size. */
    static double[] alternating(int count, double size) {
        double[] r = new double[count];
        for (int i = 0; i < count; i++) {
            r[i] = i % 2 == 0 ? size : -size;
        }
        return r;
    }

    static double[] repeat(int count, double value) {
        double[] values = new double[count];
        Arrays.fill(values, value);
        return values;
    }

    static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A window of XNYS bars from Monday's open with these closes and volumes. */
    static BarWindow window(double[] close, double[] volume) {
        return window(barStarts(XNYS, MONDAY_OPEN, close.length), close, volume);
    }

    /** A window with these closes, each bar opening at the previous close. */
    static BarWindow window(long[] times, double[] close, double[] volume) {
        int n = close.length;
        double[] open = new double[n];
        double[] high = new double[n];
        double[] low = new double[n];
        for (int i = 0; i < n; i++) {
            open[i] = i == 0 ? close[0] : close[i - 1];
            high[i] = Math.max(open[i], close[i]);
            low[i] = Math.min(open[i], close[i]);
        }
        return new BarWindow(times, open, high, low, close, volume);
    }

    /** A window with these closes and a steady volume of 1000. */
    static BarWindow window(double[] close) {
        return window(close, repeat(close.length, 1000));
    }
}
