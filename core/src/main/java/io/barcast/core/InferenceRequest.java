package io.barcast.core;

/**
 * A request for one forecast: a symbol's scaled feature window as of its newest bar, for one model
 * version.
 *
 * @param symbol the symbol
 * @param asOf start time (epoch ms) of the newest bar in the window
 * @param reason why this forecast is made: {@link #REASON_NEW_BAR}, {@link #REASON_REVISION},
 *     {@link #REASON_MODEL_UPDATE}, a reprediction's cause ({@link RepredictionRequest#CAUSES}), or
 *     {@link #REASON_API}
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
        long sequence) {

    /** A new bar completed the symbol's window. */
    public static final String REASON_NEW_BAR = "new_bar";

    /** A revision of the symbol's newest bar: its forecast replaces the bar's new-bar forecast. */
    public static final String REASON_REVISION = "revision";

    /** Another model version took over the symbol. */
    public static final String REASON_MODEL_UPDATE = "model_update";

    /**
     * Bars handed to a forecaster outside the job (the query API's predict): the forecast of a
     * symbol's first window, with no track record, and never one of the job's.
     */
    public static final String REASON_API = "api";
}
