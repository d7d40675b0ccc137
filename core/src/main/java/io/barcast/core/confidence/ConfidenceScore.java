package io.barcast.core.confidence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A forecast's confidence and how it came about.
 *
 * @param value {@code raw * decay}, in [0, 1]: the confidence
 * @param raw the weighted sum of the factors, in [0, 1]
 * @param decay the model-age and feed-delay multiplier, in (0, 1]
 * @param factors each factor's value in [0, 1], in {@link ConfidenceFactor} order
 * @param level {@code value} in words
 */
public record ConfidenceScore(
        double value, double raw, double decay, double[] factors, ConfidenceLevel level) {

    public double factor(ConfidenceFactor factor) {
        return factors[factor.ordinal()];
    }

    /** The factors by key ({@code model_performance} ...), in factor order, for JSON and SQL. */
    public Map<String, Double> factorsByKey() {
        Map<String, Double> byKey = new LinkedHashMap<>();
        for (ConfidenceFactor factor : ConfidenceFactor.values()) {
            byKey.put(factor.key(), factors[factor.ordinal()]);
        }
        return Collections.unmodifiableMap(byKey);
    }
}
