package io.barcast.core.confidence;

import io.barcast.core.Bar;
import io.barcast.core.features.RecentBars;
import java.util.List;

/**
 * The recent bars of a symbol the confidence score looks at, oldest first, as parallel arrays of
 * equal length. Early in a symbol's life it may hold fewer bars than wanted, but never none.
 *
 * @param times bar starts, epoch milliseconds
 */
public record BarWindow(
        long[] times, double[] open, double[] high, double[] low, double[] close, double[] volume) {

    /**
     * @throws IllegalArgumentException when an array is missing, the lengths differ or are 0
     */
    public BarWindow {
        if (times == null
                || open == null
                || high == null
                || low == null
                || close == null
                || volume == null) {
            throw new IllegalArgumentException(
                    "a bar window needs times, open, high, low, close, volume");
        }
        int n = times.length;
        if (n == 0) {
            throw new IllegalArgumentException("a bar window needs at least one bar");
        }
        if (open.length != n
                || high.length != n
                || low.length != n
                || close.length != n
                || volume.length != n) {
            throw new IllegalArgumentException(
                    "bar window arrays differ in length: times "
                            + n
                            + ", open "
                            + open.length
                            + ", high "
                            + high.length
                            + ", low "
                            + low.length
                            + ", close "
                            + close.length
                            + ", volume "
                            + volume.length);
        }
    }

    /** The window of {@code bars}, which are in time order, oldest first. */
    public static BarWindow of(List<Bar> bars) {
        int n = bars.size();
        long[] times = new long[n];
        double[] open = new double[n];
        double[] high = new double[n];
        double[] low = new double[n];
        double[] close = new double[n];
        double[] volume = new double[n];
        for (int i = 0; i < n; i++) {
            Bar bar = bars.get(i);
            times[i] = bar.time();
            open[i] = bar.open();
            high[i] = bar.high();
            low[i] = bar.low();
            close[i] = bar.close();
            volume[i] = bar.volume();
        }
        return new BarWindow(times, open, high, low, close, volume);
    }

    public int size() {
        return times.length;
    }

    /** The bars up to and including bar {@code index}, that one being the current bar. */
    public RecentBars endingAt(int index) {
        if (index < 0 || index >= times.length) {
            throw new IndexOutOfBoundsException(
                    "bar " + index + " outside 0.." + (times.length - 1));
        }
        return new WindowBars(this, index);
    }

    /** {@link RecentBars} over a window's arrays, so the shared indicators can read them. */
    private record WindowBars(BarWindow window, int current) implements RecentBars {

        @Override
        public int size() {
            return current + 1;
        }

        @Override
        public double open(int back) {
            return window.open[index(back)];
        }

        @Override
        public double high(int back) {
            return window.high[index(back)];
        }

        @Override
        public double low(int back) {
            return window.low[index(back)];
        }

        @Override
        public double close(int back) {
            return window.close[index(back)];
        }

        @Override
        public double volume(int back) {
            return window.volume[index(back)];
        }

        private int index(int back) {
            if (back < 0 || back > current) {
                throw new IndexOutOfBoundsException(
                        "bar " + back + " back, but only " + (current + 1) + " bars");
            }
            return current - back;
        }
    }
}
