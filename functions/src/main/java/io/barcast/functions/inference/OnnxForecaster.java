package io.barcast.functions.inference;

import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.functions.models.ModelLocation;
import io.barcast.functions.models.ModelRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model on forecast requests, micro-batched across symbols.
 *
 * <ul>
 *   <li>Input: {@link InferenceRequest}s, one per symbol and bar, each naming its model version.
 *   <li>Output: one {@link InferenceResult} per request: the model output, or the failure
 *       (inference error, timeout) for the dead letters. The job neither fails nor hangs on them.
 *   <li>State and timers: none; requests in flight are checkpointed by the async operator.
 * </ul>
 *
 * The models and their ONNX Runtime sessions are shared per JVM ({@link ModelRegistry}); each
 * instance batches on its own inference thread ({@link InferenceBatcher}).
 */
public class OnnxForecaster extends RichAsyncFunction<InferenceRequest, InferenceResult> {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxForecaster.class);

    private final ModelLocation location;
    private final SymbolCalendars calendars;
    private final int maxBatch;
    private final Duration maxWait;

    private transient ModelRegistry registry;
    private transient InferenceBatcher batcher;
    private transient Counter failures;
    private transient Counter timeouts;

    public OnnxForecaster(
            ModelLocation location, SymbolCalendars calendars, int maxBatch, Duration maxWait) {
        this.location = location;
        this.calendars = calendars;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        var metrics = getRuntimeContext().getMetricGroup();
        Histogram batchSizes =
                metrics.histogram("inferenceBatchSize", new DescriptiveStatisticsHistogram(1000));
        Histogram latencies =
                metrics.histogram(
                        "inferenceLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        failures = metrics.counter("inferenceErrors");
        timeouts = metrics.counter("inferenceTimeouts");
        registry = ModelRegistry.acquire(location);
        batcher =
                new InferenceBatcher(
                        registry,
                        new ModelFactsCache(calendars),
                        maxBatch,
                        maxWait,
                        new InferenceBatcher.Listener() {
                            @Override
                            public void onBatch(int size, long micros) {
                                batchSizes.update(size);
                                latencies.update(micros);
                            }

                            @Override
                            public void onFailure(int size, Exception error) {
                                failures.inc(size);
                                LOG.warn("Inference of a batch of {} failed", size, error);
                            }
                        });
    }

    @Override
    public void asyncInvoke(InferenceRequest request, ResultFuture<InferenceResult> future) {
        batcher.submit(request, result -> future.complete(List.of(result)));
    }

    @Override
    public void timeout(InferenceRequest request, ResultFuture<InferenceResult> future) {
        timeouts.inc();
        future.complete(
                List.of(
                        InferenceResult.failure(
                                request,
                                InferenceResult.ModelFacts.unknown(
                                        request.modelFolder(), request.modelVersion()),
                                "inference timed out")));
    }

    @Override
    public void close() throws Exception {
        boolean idle = true;
        try {
            if (batcher != null) {
                idle = batcher.stop();
            }
        } finally {
            if (registry != null) {
                if (idle) {
                    registry.release();
                } else {
                    // closing the session under a running native call would crash the JVM
                    LOG.warn("Inference thread did not stop; leaving the shared session open");
                }
            }
        }
    }
}
