package io.barcast.functions.inference;

import io.barcast.core.DaemonThreads;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.functions.models.ModelRegistry;
import io.barcast.functions.models.OnnxModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Gathers requests into micro-batches, one per model version, and runs each batch as one ONNX
 * Runtime call on its own thread: a batch is flushed when it reaches {@code maxBatch} requests or
 * {@code maxWait} after the first request waiting, whichever comes first. The caller never blocks
 * on inference.
 *
 * <p>Each batch leases the exact model version its requests were scaled for from the {@link
 * ModelRegistry} and gives it back when the call is done, so a model swapped meanwhile finishes the
 * batch on its old session.
 */
public final class InferenceBatcher implements AutoCloseable {

    /** Receives one batch's outcome: how many requests there were, how long the call took. */
    public interface Listener {
        void onBatch(int size, long micros);

        void onFailure(int size, Exception error);
    }

    private final ModelRegistry registry;
    private final ModelFactsCache facts;
    private final int maxBatch;
    private final long maxWaitMicros;
    private final Listener listener;
    private final ScheduledExecutorService worker;

    /** Used on the inference thread only. */
    private FloatBuffer windows;

    private final Object lock = new Object();
    private Map<String, List<Pending>> pending = new LinkedHashMap<>();
    private ScheduledFuture<?> scheduledFlush;

    public InferenceBatcher(
            ModelRegistry registry,
            ModelFactsCache facts,
            int maxBatch,
            Duration maxWait,
            Listener listener) {
        this.registry = registry;
        this.facts = facts;
        this.maxBatch = maxBatch;
        this.maxWaitMicros = Math.max(1, maxWait.toNanos() / 1000);
        this.listener = listener;
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, DaemonThreads.named("barcast-inference"));
        executor.setRemoveOnCancelPolicy(true);
        this.worker = executor;
    }

    /** Queues a request; {@code done} is called once, from the inference thread. */
    public void submit(InferenceRequest request, Consumer<InferenceResult> done) {
        submitAll(List.of(request), done);
    }

    /**
     * Queues requests at once, so those of one model version share a batch (up to {@code maxBatch},
     * with whatever else is waiting) instead of racing the flush timer; {@code done} is called once
     * per request, from the inference thread.
     */
    public void submitAll(List<InferenceRequest> requests, Consumer<InferenceResult> done) {
        List<List<Pending>> full = new ArrayList<>();
        synchronized (lock) {
            for (InferenceRequest request : requests) {
                String key = request.modelFolder() + "@" + request.modelVersion();
                boolean first = pending.isEmpty();
                List<Pending> batch = pending.computeIfAbsent(key, k -> new ArrayList<>());
                batch.add(new Pending(request, done));
                if (batch.size() >= maxBatch) {
                    full.add(pending.remove(key));
                    if (pending.isEmpty()) {
                        cancelScheduledFlush();
                    }
                } else if (first) {
                    Map<String, List<Pending>> owner = pending;
                    scheduledFlush =
                            worker.schedule(
                                    () -> flushOnTime(owner), maxWaitMicros, TimeUnit.MICROSECONDS);
                }
            }
        }
        for (List<Pending> batch : full) {
            worker.execute(() -> run(batch));
        }
    }

    /** Flushes {@code owner} if it still holds the batches being filled. */
    private void flushOnTime(Map<String, List<Pending>> owner) {
        List<List<Pending>> batches;
        synchronized (lock) {
            if (pending != owner) {
                return;
            }
            batches = new ArrayList<>(pending.values());
            pending = new LinkedHashMap<>();
            scheduledFlush = null;
        }
        for (List<Pending> batch : batches) {
            run(batch);
        }
    }

    private void cancelScheduledFlush() {
        if (scheduledFlush != null) {
            scheduledFlush.cancel(false);
            scheduledFlush = null;
        }
        pending = new LinkedHashMap<>();
    }

    /** Runs on the inference thread only, so the direct buffer needs no lock. */
    private void run(List<Pending> batch) {
        int size = batch.size();
        InferenceRequest head = batch.get(0).request;
        InferenceResult[] results = new InferenceResult[size];
        try (ModelRegistry.Lease lease = registry.lease(head.modelFolder(), head.modelVersion())) {
            OnnxModel model = lease.model();
            int windowSize = model.windowSize();
            FloatBuffer buffer = buffer(size, windowSize);
            int[] rows = new int[size];
            int runnable = 0;
            for (int i = 0; i < size; i++) {
                InferenceRequest request = batch.get(i).request;
                if (request.window().length != windowSize) {
                    results[i] =
                            InferenceResult.failure(
                                    request,
                                    facts.of(request.modelFolder(), model, request.symbol()),
                                    "window has "
                                            + request.window().length
                                            + " values, the model reads "
                                            + windowSize);
                } else {
                    buffer.put(request.window());
                    rows[runnable++] = i;
                }
            }
            if (runnable > 0) {
                long start = System.nanoTime();
                float[][] output = model.predict(buffer, runnable);
                long micros = (System.nanoTime() - start) / 1000;
                listener.onBatch(runnable, micros);
                boolean quantiles = model.spec().output().quantiles() != null;
                for (int row = 0; row < runnable; row++) {
                    InferenceRequest request = batch.get(rows[row]).request;
                    int bad = firstNonFinite(output[row]);
                    if (bad >= 0) {
                        // a model that says NaN or Infinity once must not reach prices and state
                        results[rows[row]] =
                                InferenceResult.failure(
                                        request,
                                        facts.of(request.modelFolder(), model, request.symbol()),
                                        "model returned " + output[row][bad] + " at output " + bad);
                        continue;
                    }
                    results[rows[row]] =
                            InferenceResult.success(
                                    request,
                                    facts.of(request.modelFolder(), model, request.symbol()),
                                    ModelFactsCache.pointForecast(model.spec(), output[row]),
                                    quantiles ? output[row] : new float[0],
                                    runnable,
                                    micros);
                }
            }
        } catch (Exception e) {
            listener.onFailure(size, e);
            String failure = "inference failed: " + e.getMessage();
            for (int i = 0; i < size; i++) {
                if (results[i] == null) {
                    InferenceRequest request = batch.get(i).request;
                    results[i] =
                            InferenceResult.failure(
                                    request,
                                    InferenceResult.ModelFacts.unknown(
                                            request.modelFolder(), request.modelVersion()),
                                    failure);
                }
            }
        }
        for (int i = 0; i < size; i++) {
            batch.get(i).done.accept(results[i]);
        }
    }

    private static int firstNonFinite(float[] row) {
        for (int i = 0; i < row.length; i++) {
            if (!Float.isFinite(row[i])) {
                return i;
            }
        }
        return -1;
    }

    private FloatBuffer buffer(int batch, int windowSize) {
        int floats = batch * windowSize;
        if (windows == null || windows.capacity() < floats) {
            int capacity = Math.max(floats, maxBatch * windowSize);
            windows =
                    ByteBuffer.allocateDirect(capacity * Float.BYTES)
                            .order(ByteOrder.nativeOrder())
                            .asFloatBuffer();
        }
        windows.clear();
        return windows;
    }

    /**
     * Stops the inference thread.
     *
     * @return whether it stopped; if not, a native call may still use a model's session
     */
    public boolean stop() throws InterruptedException {
        worker.shutdownNow();
        return worker.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private record Pending(InferenceRequest request, Consumer<InferenceResult> done) {}
}
