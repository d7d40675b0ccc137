package io.barcast.core.confidence;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How much each {@link ConfidenceFactor} counts: one weight per factor, each in [0, 1], summing to
 * 1 so that the weighted sum of factors in [0, 1] is itself in [0, 1]. Immutable.
 */
public final class ConfidenceWeights implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How far the sum may stray from 1, so that weights written with decimals still add up. */
    static final double SUM_TOLERANCE = 1e-6;

    /** Every factor at its {@link ConfidenceFactor#defaultWeight()}. */
    public static final ConfidenceWeights DEFAULTS = of(Map.of());

    private final double[] weights;

    private ConfidenceWeights(double[] weights) {
        this.weights = weights;
    }

    /**
     * The default weights with those of {@code overrides} (by factor key) replaced.
     *
     * @throws IllegalArgumentException naming the key of an unknown factor or of a weight that is
     *     missing, not finite or outside [0, 1]; or, when the weights do not sum to 1, giving the
     *     sum and every weight
     */
    public static ConfidenceWeights of(Map<String, Double> overrides) {
        double[] weights =
                Arrays.stream(ConfidenceFactor.values())
                        .mapToDouble(ConfidenceFactor::defaultWeight)
                        .toArray();
        for (Map.Entry<String, Double> override : overrides.entrySet()) {
            ConfidenceFactor factor = ConfidenceFactor.ofKey(override.getKey());
            Double weight = override.getValue();
            if (weight == null || !Double.isFinite(weight) || weight < 0 || weight > 1) {
                throw new IllegalArgumentException(
                        "weight of "
                                + factor.key()
                                + " is "
                                + weight
                                + ", must be a number in [0, 1]");
            }
            weights[factor.ordinal()] = weight;
        }
        double sum = Arrays.stream(weights).sum();
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException(
                    "weights sum to " + sum + ", must sum to 1: " + describe(weights));
        }
        return new ConfidenceWeights(weights);
    }

    /**
     * Parses {@code key=value,key=value,...} (blanks around keys and values allowed; an empty text
     * keeps the defaults) and applies it as {@link #of}.
     *
     * @throws IllegalArgumentException for an entry that is not {@code key=number}, or as {@link
     *     #of}
     */
    public static ConfidenceWeights parse(String text) {
        Map<String, Double> overrides = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String entry : text.split(",")) {
                String[] keyValue = entry.split("=", -1);
                if (keyValue.length != 2 || keyValue[0].isBlank()) {
                    throw new IllegalArgumentException("'" + entry.trim() + "' is not key=weight");
                }
                String key = keyValue[0].trim();
                try {
                    overrides.put(key, Double.parseDouble(keyValue[1].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "weight of " + key + " is '" + keyValue[1].trim() + "', not a number");
                }
            }
        }
        return of(overrides);
    }

    public double weight(ConfidenceFactor factor) {
        return weights[factor.ordinal()];
    }

    /** The weights by factor, in factor order. */
    public Map<ConfidenceFactor, Double> asMap() {
        Map<ConfidenceFactor, Double> map = new EnumMap<>(ConfidenceFactor.class);
        for (ConfidenceFactor factor : ConfidenceFactor.values()) {
            map.put(factor, weights[factor.ordinal()]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfidenceWeights that && Arrays.equals(weights, that.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return describe(weights);
    }

    private static String describe(double[] weights) {
        return Arrays.stream(ConfidenceFactor.values())
                .map(f -> f.key() + "=" + weights[f.ordinal()])
                .collect(Collectors.joining(","));
    }
}
