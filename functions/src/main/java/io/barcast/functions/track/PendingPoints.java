package io.barcast.functions.track;

import java.util.Arrays;

/**
 * The forecast points waiting for the actual bar of one time: one per earlier forecast whose model
 * step lands there. Parallel arrays, so a symbol's pending points stay compact in state.
 */
public class PendingPoints {

    /** As-of bar start of the forecast each point belongs to. */
    public long[] asOf = new long[0];

    /** The request sequence of the forecast each point belongs to. */
    public long[] sequence = new long[0];

    /** The model step (in bars) each point is. */
    public int[] step = new int[0];

    /** The predicted close. */
    public double[] predicted = new double[0];

    /**
     * The log shift a reprediction added to the model's own forecast at the point (0 for the
     * others), so the point's residual is still the model's.
     */
    public double[] bias = new double[0];

    /** The close the forecast started from: the naive "no change" forecast. */
    public double[] base = new double[0];

    /** The forecast's id, and its band at the point. */
    public String[] predictionId = new String[0];

    public double[] lower = new double[0];
    public double[] upper = new double[0];

    public PendingPoints() {}

    /**
     * Adds a point. Another forecast of the same bar and step (a revision, a new model) holds one
     * point with it: the newer forecast's (higher sequence) stays.
     */
    public void add(
            long pointAsOf,
            long pointSequence,
            int pointStep,
            double pointPredicted,
            double pointBias,
            double pointBase,
            String pointPredictionId,
            double pointLower,
            double pointUpper) {
        int at = -1;
        for (int i = 0; i < asOf.length; i++) {
            if (asOf[i] == pointAsOf && step[i] == pointStep) {
                if (sequence[i] > pointSequence) {
                    return;
                }
                at = i;
            }
        }
        if (at < 0) {
            at = asOf.length;
            asOf = Arrays.copyOf(asOf, at + 1);
            sequence = Arrays.copyOf(sequence, at + 1);
            step = Arrays.copyOf(step, at + 1);
            predicted = Arrays.copyOf(predicted, at + 1);
            bias = Arrays.copyOf(bias, at + 1);
            base = Arrays.copyOf(base, at + 1);
            predictionId = Arrays.copyOf(predictionId, at + 1);
            lower = Arrays.copyOf(lower, at + 1);
            upper = Arrays.copyOf(upper, at + 1);
        }
        asOf[at] = pointAsOf;
        sequence[at] = pointSequence;
        step[at] = pointStep;
        predicted[at] = pointPredicted;
        bias[at] = pointBias;
        base[at] = pointBase;
        predictionId[at] = pointPredictionId;
        lower[at] = pointLower;
        upper[at] = pointUpper;
    }

    /** The bias of point {@code i}; 0 for points restored from state kept before biases were. */
    public double biasAt(int i) {
        return bias == null || i >= bias.length ? 0 : bias[i];
    }

    public int size() {
        return asOf.length;
    }
}
