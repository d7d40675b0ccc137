package io.barcast.core.confidence;

import java.io.Serializable;

/**
 * Scores a forecast's confidence: the {@link ConfidenceWeights weighted} sum of the ten {@link
 * ConfidenceFactor factors}, times the {@link ConfidenceDecay decay} for the model's age and the
 * feed's delay. Immutable and thread-safe.
 */
public final class ConfidenceScorer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ConfidenceWeights weights;
    private final ConfidenceDecay decay;

    public ConfidenceScorer(ConfidenceWeights weights, ConfidenceDecay decay) {
        if (weights == null || decay == null) {
            throw new IllegalArgumentException("a scorer needs weights and a decay");
        }
        this.weights = weights;
        this.decay = decay;
    }

    /** A scorer with the default weights and decay. */
    public static ConfidenceScorer withDefaults() {
        return new ConfidenceScorer(ConfidenceWeights.DEFAULTS, ConfidenceDecay.DEFAULTS);
    }

    public ConfidenceWeights weights() {
        return weights;
    }

    public ConfidenceDecay decay() {
        return decay;
    }

    public ConfidenceScore score(ConfidenceInputs in) {
        ConfidenceFactor[] all = ConfidenceFactor.values();
        double[] factors = new double[all.length];
        double raw = 0;
        for (ConfidenceFactor factor : all) {
            factors[factor.ordinal()] = factor.compute(in);
            raw += weights.weight(factor) * factors[factor.ordinal()];
        }
        // The weights sum to 1 only within a tolerance: keep the sum inside [0, 1] regardless.
        raw = Math.min(1, Math.max(0, raw));
        double multiplier = decay.multiplier(in.modelAge(), in.feedDelay());
        double value = raw * multiplier;
        return new ConfidenceScore(value, raw, multiplier, factors, ConfidenceLevel.of(value));
    }

    @Override
    public String toString() {
        return "ConfidenceScorer[weights " + weights + ", " + decay + "]";
    }
}
