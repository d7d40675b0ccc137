package io.barcast.core;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why a forecast was made. Records, topics and tables carry the {@link #label()}; a reprediction's
 * forecast carries its request's cause as its reason.
 */
public enum ForecastReason {
    /** A new bar completed the symbol's window. */
    NEW_BAR("new_bar", false),

    /** A revision of the symbol's newest bar: its forecast replaces the bar's new-bar forecast. */
    REVISION("revision", false),

    /** Another model version took over the symbol. */
    MODEL_UPDATE("model_update", false),

    /**
     * Bars handed to a forecaster outside the job (the query API's predict): the forecast of a
     * symbol's first window, with no track record, and never one of the job's.
     */
    API("api", false),

    /** Reprediction: a forecast drifted from the bars that arrived since. */
    VALIDATION_DRIFT("validation_drift", true),

    /** Reprediction: the symbol's rolling accuracy fell below its threshold. */
    ACCURACY_DROP("accuracy_drop", true),

    /** Reprediction asked for by a person. */
    MANUAL("manual", true);

    private static final List<String> CAUSES =
            Arrays.stream(values())
                    .filter(ForecastReason::isReprediction)
                    .map(ForecastReason::label)
                    .toList();

    private final String label;
    private final boolean reprediction;

    ForecastReason(String label, boolean reprediction) {
        this.label = label;
        this.reprediction = reprediction;
    }

    /** The reason as records, topics and tables spell it, e.g. {@code new_bar}. */
    public String label() {
        return label;
    }

    /** Whether this reason is a reprediction's cause. */
    public boolean isReprediction() {
        return reprediction;
    }

    /** The reason spelled {@code label}, if any. */
    public static Optional<ForecastReason> ofLabel(String label) {
        for (ForecastReason reason : values()) {
            if (reason.label.equals(label)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    /** Whether a forecast's reason says it answered a reprediction request. */
    public static boolean isReprediction(String label) {
        return ofLabel(label).map(ForecastReason::isReprediction).orElse(false);
    }

    /** The labels a reprediction request's cause may have. */
    public static List<String> causes() {
        return CAUSES;
    }
}
