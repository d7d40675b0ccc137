package io.barcast.core;

/**
 * A request for one forecast: a symbol's scaled feature window as of its newest bar, for one model
 * version.
 *
 * @param symbol the symbol
 * @param asOf start time (epoch ms) of the newest bar in the window
 * @param reason why this forecast is made: a {@link ForecastReason}'s label
 * @param lastClose close of the newest bar: the base the predicted path starts from
 * @param modelFolder the model folder serving the symbol: {@code default} or the symbol's own
 * @param modelVersion the version of that folder's model the window was scaled for; the forecast
 *     must be made with exactly this version
 * @param window the scaled features, row-major {@code [sequenceLength x featureCount]}, oldest
 *     first
 * @param receivedAt wall-clock time (epoch ms) the newest bar reached its symbol window, for
 *     latency and feed delay
 * @param sequence the symbol's request count: of two forecasts of the same bar (a revision, a new
 *     model version), the one with the higher sequence is the newer
 */
public record InferenceRequest(
        String symbol,
        long asOf,
        String reason,
        double lastClose,
        String modelFolder,
        String modelVersion,
        float[] window,
        long receivedAt,
        long sequence) {}
