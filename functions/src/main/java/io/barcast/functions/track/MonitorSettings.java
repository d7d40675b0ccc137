package io.barcast.functions.track;

import java.io.Serializable;
import java.time.Duration;

/**
 * When the {@link PredictionTracker} asks for a reprediction, a retrain or a person's attention.
 *
 * @param driftThreshold a validated point this far from the actual close (a fraction: 0.02 is 2%)
 *     asks for a reprediction
 * @param repredictionCooldown after a reprediction request, a symbol's next waits this long in
 *     event time (at most one per bar in any case)
 * @param minDirectionalAccuracy rolling directional accuracy (all horizons) below this asks for a
 *     reprediction and raises an alert
 * @param minAccuracyPoints validated points the rolling figures need before they are judged
 * @param retrainSkillThreshold rolling skill against "no change" below this, for {@code
 *     retrainAfter}, asks for a retrain
 * @param retrainAfter how long skill must stay low, in event time; also the least time between two
 *     retrain requests of a symbol
 * @param lowConfidence a forecast whose confidence is below this raises an alert
 * @param feedLag a live bar that reached the tracker later than this after its end raises an alert
 */
public record MonitorSettings(
        double driftThreshold,
        Duration repredictionCooldown,
        double minDirectionalAccuracy,
        int minAccuracyPoints,
        double retrainSkillThreshold,
        Duration retrainAfter,
        double lowConfidence,
        Duration feedLag)
        implements Serializable {

    /** The defaults of the options. */
    public static MonitorSettings defaults() {
        return new MonitorSettings(
                0.02,
                Duration.ofHours(1),
                0.4,
                50,
                0.0,
                Duration.ofDays(2),
                0.3,
                Duration.ofMinutes(30));
    }
}
