package io.barcast.functions.track;

/**
 * What the tracker remembers of a symbol's forecast quality between bars, so that it asks for
 * repredictions and retrains without storming and raises an accuracy alert once per drop.
 */
public class ForecastHealth {

    /** Start of the bar of the latest reprediction request, or {@link Long#MIN_VALUE}. */
    public long lastReprediction = Long.MIN_VALUE;

    /** Whether rolling directional accuracy is below its threshold (alerted once per drop). */
    public boolean accuracyLow;

    /** Model version the skill figures below are about. */
    public String modelVersion;

    /** Start of the first bar since which skill stayed below the threshold, or MIN_VALUE. */
    public long skillLowSince = Long.MIN_VALUE;

    /** Start of the bar of the latest retrain request, or {@link Long#MIN_VALUE}. */
    public long lastRetrain = Long.MIN_VALUE;

    public ForecastHealth() {}

    ForecastHealth copy() {
        ForecastHealth copy = new ForecastHealth();
        copy.lastReprediction = lastReprediction;
        copy.accuracyLow = accuracyLow;
        copy.modelVersion = modelVersion;
        copy.skillLowSince = skillLowSince;
        copy.lastRetrain = lastRetrain;
        return copy;
    }

    /** Whether {@code other} holds the same; it is written to state only when it does not. */
    boolean sameAs(ForecastHealth other) {
        return other != null
                && lastReprediction == other.lastReprediction
                && accuracyLow == other.accuracyLow
                && java.util.Objects.equals(modelVersion, other.modelVersion)
                && skillLowSince == other.skillLowSince
                && lastRetrain == other.lastRetrain;
    }

    /** Whether a reprediction may be asked for at bar {@code barTime} after {@code cooldown}. */
    boolean mayRepredict(long barTime, long cooldown) {
        return lastReprediction == Long.MIN_VALUE
                || barTime >= lastReprediction + Math.max(1, cooldown);
    }
}
