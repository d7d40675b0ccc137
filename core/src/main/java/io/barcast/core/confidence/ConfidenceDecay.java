package io.barcast.core.confidence;

import java.io.Serializable;
import java.time.Duration;

/**
 * How confidence fades as the model ages and as the feed falls behind: a multiplier in (0, 1], 1
 * within a grace period, then halving every half-life past it. The two causes multiply.
 *
 * @param modelAgeGrace model age that costs nothing
 * @param modelAgeHalfLife model age past the grace that halves confidence
 * @param feedDelayGrace feed delay (how late the newest bar arrived) that costs nothing
 * @param feedDelayHalfLife feed delay past the grace that halves confidence
 */
public record ConfidenceDecay(
        Duration modelAgeGrace,
        Duration modelAgeHalfLife,
        Duration feedDelayGrace,
        Duration feedDelayHalfLife)
        implements Serializable {

    /** 30 days of model age free, then half every 180 days; 20 minutes of delay free, then 1 h. */
    public static final ConfidenceDecay DEFAULTS =
            new ConfidenceDecay(
                    Duration.ofDays(30),
                    Duration.ofDays(180),
                    Duration.ofMinutes(20),
                    Duration.ofHours(1));

    /**
     * @throws IllegalArgumentException naming the field when a grace is missing or negative, or a
     *     half-life missing or not positive
     */
    public ConfidenceDecay {
        requireGrace("modelAgeGrace", modelAgeGrace);
        requireHalfLife("modelAgeHalfLife", modelAgeHalfLife);
        requireGrace("feedDelayGrace", feedDelayGrace);
        requireHalfLife("feedDelayHalfLife", feedDelayHalfLife);
    }

    /**
     * The multiplier for a model of {@code modelAge} whose newest bar came {@code feedDelay} late:
     * 0.5^(max(0, age - grace) / half-life) for each. Negative durations count as 0.
     */
    public double multiplier(Duration modelAge, Duration feedDelay) {
        return halving(modelAge, modelAgeGrace, modelAgeHalfLife)
                * halving(feedDelay, feedDelayGrace, feedDelayHalfLife);
    }

    private static double halving(Duration elapsed, Duration grace, Duration halfLife) {
        double past = Math.max(0, seconds(elapsed) - seconds(grace));
        return Math.pow(0.5, past / seconds(halfLife));
    }

    // Seconds as a double: an absurd age must decay to nearly 0, not overflow a long of millis.
    private static double seconds(Duration duration) {
        return duration.getSeconds() + duration.getNano() / 1e9;
    }

    private static void requireGrace(String field, Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException(field + " must be 0 or more, got " + grace);
        }
    }

    private static void requireHalfLife(String field, Duration halfLife) {
        if (halfLife == null || halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + halfLife);
        }
    }
}
