package io.barcast.functions.track;

import java.util.Arrays;

/**
 * The forecast points waiting for the actual bar of one time: one per earlier forecast whose model
 * step lands there. Parallel arrays, so a symbol's pending points stay compact in state.
 */
public class PendingPoints {

    /** As-of bar start of the forecast each point belongs to. */
    public long[] asOf = new long[0];

    /** The model step (in bars) each point is. */
    public int[] step = new int[0];

    /** The predicted close. */
    public double[] predicted = new double[0];

    /** The close the forecast started from: the naive "no change" forecast. */
    public double[] base = new double[0];

    public PendingPoints() {}

    /** Adds a point; a newer point of the same forecast and step (a revision) replaces it. */
    public void add(long pointAsOf, int pointStep, double pointPredicted, double pointBase) {
        for (int i = 0; i < asOf.length; i++) {
            if (asOf[i] == pointAsOf && step[i] == pointStep) {
                predicted[i] = pointPredicted;
                base[i] = pointBase;
                return;
            }
        }
        int n = asOf.length;
        asOf = Arrays.copyOf(asOf, n + 1);
        step = Arrays.copyOf(step, n + 1);
        predicted = Arrays.copyOf(predicted, n + 1);
        base = Arrays.copyOf(base, n + 1);
        asOf[n] = pointAsOf;
        step[n] = pointStep;
        predicted[n] = pointPredicted;
        base[n] = pointBase;
    }

    public int size() {
        return asOf.length;
    }
}
