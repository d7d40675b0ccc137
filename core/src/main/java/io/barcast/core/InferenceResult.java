package io.barcast.core;

/**
 * The model's answer to an {@link InferenceRequest}, or why there is none.
 *
 * @param logReturns the model output: cumulative log return at each horizon step; null on failure
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
        String modelName,
        String modelVersion,
        float[] logReturns,
        int batchSize,
        long inferenceMicros,
        String failure) {

    public static InferenceResult success(
            InferenceRequest request,
            String modelName,
            String modelVersion,
            float[] logReturns,
            int batchSize,
            long inferenceMicros) {
        return new InferenceResult(
                request.symbol(),
                request.asOf(),
                request.reason(),
                request.lastClose(),
                request.receivedAt(),
                modelName,
                modelVersion,
                logReturns,
                batchSize,
                inferenceMicros,
                null);
    }

    public static InferenceResult failure(
            InferenceRequest request, String modelName, String modelVersion, String failure) {
        return new InferenceResult(
                request.symbol(),
                request.asOf(),
                request.reason(),
                request.lastClose(),
                request.receivedAt(),
                modelName,
                modelVersion,
                null,
                0,
                0,
                failure);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
