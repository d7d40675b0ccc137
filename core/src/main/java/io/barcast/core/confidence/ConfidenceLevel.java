package io.barcast.core.confidence;

/** A confidence value in words, for people and for filters: each level is a lower bound. */
public enum ConfidenceLevel {
    VERY_HIGH("very_high", 0.85),
    HIGH("high", 0.7),
    MEDIUM("medium", 0.5),
    LOW("low", 0.3),
    VERY_LOW("very_low", Double.NEGATIVE_INFINITY);

    private final String label;
    private final double atLeast;

    ConfidenceLevel(String label, double atLeast) {
        this.label = label;
        this.atLeast = atLeast;
    }

    /** The snake_case name used in JSON and SQL, e.g. {@code very_high}. */
    public String label() {
        return label;
    }

    /** The level of a confidence value; NaN is {@link #VERY_LOW}. */
    public static ConfidenceLevel of(double confidence) {
        for (ConfidenceLevel level : values()) {
            if (confidence >= level.atLeast) {
                return level;
            }
        }
        return VERY_LOW;
    }
}
