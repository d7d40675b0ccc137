package io.barcast.core;

import io.barcast.core.confidence.TrackRecord;

/**
 * The model's answer to an {@link InferenceRequest}, or why there is none.
 *
 * @param sequence the request's {@link InferenceRequest#sequence()}
 * @param model what the forecast needs to know about the model that answered
 * @param logReturns the model's point forecast: cumulative log return at each of {@code
 *     model.horizonSteps()}; null on failure
 * @param quantileLogReturns with a quantile model, its output at each step and level, step-major;
 *     else empty
 * @param batchSize how many requests shared the ONNX Runtime call
 * @param inferenceMicros how long that call took
 * @param failure why no forecast was made (timeout, inference error), else null
 */
public record InferenceResult(
        String symbol,
        long asOf,
        String reason,
        double lastClose,
        long receivedAt,
        long sequence,
        ModelFacts model,
        float[] logReturns,
        float[] quantileLogReturns,
        int batchSize,
        long inferenceMicros,
        String failure) {

    /**
     * The facts of a model version a forecast carries along.
     *
     * @param folder {@code default} or the symbol's own folder
     * @param horizonSteps the model's output steps, in bars of the symbol's calendar
     * @param quantiles the quantile levels of the model's output, ascending; empty for a point
     *     model
     * @param trainedAt when it was trained (epoch ms), or 0 when its model.json does not say
     * @param heldOut its held-out record on the symbol's calendar, for confidence
     */
    public record ModelFacts(
            String folder,
            String name,
            String version,
            int[] horizonSteps,
            double[] quantiles,
            long trainedAt,
            TrackRecord heldOut) {

        /** Facts of a model nobody could run: only its identity is known. */
        public static ModelFacts unknown(String folder, String version) {
            return new ModelFacts(
                    folder, "", version, new int[0], new double[0], 0L, TrackRecord.NONE);
        }
    }

    public static InferenceResult success(
            InferenceRequest request,
            ModelFacts model,
            float[] logReturns,
            float[] quantileLogReturns,
            int batchSize,
            long inferenceMicros) {
        return new InferenceResult(
                request.symbol(),
                request.asOf(),
                request.reason(),
                request.lastClose(),
                request.receivedAt(),
                request.sequence(),
                model,
                logReturns,
                quantileLogReturns,
                batchSize,
                inferenceMicros,
                null);
    }

    public static InferenceResult failure(
            InferenceRequest request, ModelFacts model, String failure) {
        return new InferenceResult(
                request.symbol(),
                request.asOf(),
                request.reason(),
                request.lastClose(),
                request.receivedAt(),
                request.sequence(),
                model,
                null,
                new float[0],
                0,
                0,
                failure);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
