package io.barcast.core;

/**
 * A request for one forecast: a symbol's scaled feature window as of its newest bar.
 *
 * @param symbol the symbol
 * @param asOf start time (epoch ms) of the newest bar in the window
 * @param reason why this forecast is made: {@code new_bar} or {@code revision}
 * @param lastClose close of the newest bar: the base the predicted path starts from
 * @param window the scaled features, row-major {@code [sequenceLength x featureCount]}, oldest
 *     first
 * @param receivedAt wall-clock time (epoch ms) the newest bar reached its symbol window, for
 *     latency
 */
public record InferenceRequest(
        String symbol,
        long asOf,
        String reason,
        double lastClose,
        float[] window,
        long receivedAt) {}
