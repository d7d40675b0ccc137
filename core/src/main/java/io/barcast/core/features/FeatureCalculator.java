package io.barcast.core.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes a model's input features, in the model's order, for the newest of a symbol's recent
 * bars. The definitions are those of {@code models/training/features.py}, in double precision.
 * Immutable and thread-safe.
 */
public final class FeatureCalculator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The names of every known feature, in the order the default model uses them. */
    public static final List<String> KNOWN_NAMES =
            Arrays.stream(Feature.values()).map(Feature::featureName).toList();

    private final List<String> names;
    private final Feature[] features;
    private final int lookback;

    private FeatureCalculator(List<String> names, Feature[] features) {
        this.names = names;
        this.features = features;
        this.lookback = Arrays.stream(features).mapToInt(Feature::lookback).max().orElse(1);
    }

    /**
     * A calculator for the named features, in that order.
     *
     * @throws IllegalArgumentException when a name is unknown or repeated, or none is given
     */
    public static FeatureCalculator forNames(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("no features named; known features: " + KNOWN_NAMES);
        }
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Feature[] features = new Feature[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            features[i] =
                    Arrays.stream(Feature.values())
                            .filter(f -> f.featureName().equals(name))
                            .findFirst()
                            .orElse(null);
            if (features[i] == null) {
                unknown.add(name);
            } else if (!seen.add(name)) {
                throw new IllegalArgumentException("feature " + name + " is named twice");
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown feature"
                            + (unknown.size() == 1 ? " " : "s ")
                            + unknown.stream().collect(Collectors.joining(", "))
                            + "; known features: "
                            + KNOWN_NAMES);
        }
        return new FeatureCalculator(List.copyOf(names), features);
    }

    public int featureCount() {
        return features.length;
    }

    public List<String> names() {
        return names;
    }

    /** Bars needed to compute every feature, the current one included. */
    public int lookback() {
        return lookback;
    }

    /**
     * Writes the features of the current bar of {@code bars} to {@code out[offset .. offset +
     * featureCount())}.
     *
     * @throws IllegalArgumentException when {@code bars} holds fewer than {@link #lookback()} bars
     */
    public void compute(RecentBars bars, double[] out, int offset) {
        if (bars.size() < lookback) {
            throw new IllegalArgumentException(
                    "features " + names + " need " + lookback + " bars, got " + bars.size());
        }
        for (int i = 0; i < features.length; i++) {
            out[offset + i] = features[i].compute(bars);
        }
    }

    @Override
    public String toString() {
        return "FeatureCalculator" + names;
    }
}
