package io.barcast.functions.track;

import java.util.Arrays;

/**
 * The latest forecast residuals {@code ln(actual / predicted)} of one model step, each with the
 * time of the bar that settled it, so a forecast can use exactly the residuals known at its own
 * time, whatever order the bars and forecasts reached the tracker in.
 */
public class ResidualRing {

    public double[] values;
    public long[] times;
    public int head = -1;
    public int count;

    public ResidualRing() {}

    public static ResidualRing create(int capacity) {
        ResidualRing ring = new ResidualRing();
        ring.values = new double[capacity];
        ring.times = new long[capacity];
        return ring;
    }

    public void add(long barTime, double residual) {
        head = (head + 1) % values.length;
        values[head] = residual;
        times[head] = barTime;
        count = Math.min(count + 1, values.length);
    }

    /** The newest {@code limit} residuals settled by bars up to {@code upTo}, in no order. */
    public double[] upTo(long upTo, int limit) {
        double[] out = new double[Math.min(limit, count)];
        int n = 0;
        for (int i = 0; i < count && n < out.length; i++) {
            int at = Math.floorMod(head - i, values.length);
            if (times[at] <= upTo) {
                out[n++] = values[at];
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
