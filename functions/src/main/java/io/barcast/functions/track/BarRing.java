package io.barcast.functions.track;

import io.barcast.core.Bar;
import io.barcast.core.confidence.BarWindow;

/**
 * A symbol's most recent bars as the tracker keeps them in state: a ring of primitives, so it stays
 * small and serializes as a Flink POJO.
 */
public class BarRing {

    public long[] times;
    public double[] open;
    public double[] high;
    public double[] low;
    public double[] close;
    public double[] volume;

    /** Index of the newest bar. */
    public int head = -1;

    public int count;

    public BarRing() {}

    public static BarRing create(int capacity) {
        BarRing ring = new BarRing();
        ring.times = new long[capacity];
        ring.open = new double[capacity];
        ring.high = new double[capacity];
        ring.low = new double[capacity];
        ring.close = new double[capacity];
        ring.volume = new double[capacity];
        return ring;
    }

    /** Adds a newer bar, or replaces the newest when {@code bar} is a revision of it. */
    public void add(Bar bar) {
        if (count == 0 || bar.time() > times[head]) {
            head = (head + 1) % times.length;
            count = Math.min(count + 1, times.length);
        } else if (bar.time() != times[head]) {
            return; // older than the newest: the window already turned it away
        }
        times[head] = bar.time();
        open[head] = bar.open();
        high[head] = bar.high();
        low[head] = bar.low();
        close[head] = bar.close();
        volume[head] = bar.volume();
    }

    /** Start time of the newest bar, or {@link Long#MIN_VALUE} when empty. */
    public long newestTime() {
        return count == 0 ? Long.MIN_VALUE : times[head];
    }

    /** The close of the bar starting at {@code time}, or NaN when it is not held. */
    public double closeAt(long time) {
        for (int i = 0; i < count; i++) {
            int at = Math.floorMod(head - i, times.length);
            if (times[at] == time) {
                return close[at];
            }
            if (times[at] < time) {
                break;
            }
        }
        return Double.NaN;
    }

    /**
     * The newest {@code limit} bars up to and including {@code upTo}, oldest first; null when the
     * ring no longer holds any.
     */
    public BarWindow window(long upTo, int limit) {
        int skip = 0;
        while (skip < count && times[Math.floorMod(head - skip, times.length)] > upTo) {
            skip++;
        }
        int n = Math.min(limit, count - skip);
        if (n <= 0) {
            return null;
        }
        long[] t = new long[n];
        double[] o = new double[n];
        double[] h = new double[n];
        double[] l = new double[n];
        double[] c = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int at = Math.floorMod(head - skip - (n - 1 - i), times.length);
            t[i] = times[at];
            o[i] = open[at];
            h[i] = high[at];
            l[i] = low[at];
            c[i] = close[at];
            v[i] = volume[at];
        }
        return new BarWindow(t, o, h, l, c, v);
    }

    /**
     * Standard deviation of the one-bar log returns of the bars up to {@code upTo}, 0 with fewer
     * than three bars.
     */
    public static double volatility(BarWindow window) {
        if (window == null) {
            return 0;
        }
        double[] close = window.close();
        int n = close.length - 1;
        if (n < 2) {
            return 0;
        }
        double sum = 0;
        double sumSquares = 0;
        for (int i = 1; i < close.length; i++) {
            double r = Math.log(close[i] / close[i - 1]);
            sum += r;
            sumSquares += r * r;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sumSquares / n - mean * mean) * n / (n - 1));
    }
}
