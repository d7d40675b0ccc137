package io.barcast.functions.inference;

import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Gathers requests into micro-batches and runs each batch as one ONNX Runtime call on its own
 * thread: a batch is flushed when it reaches {@code maxBatch} requests or {@code maxWait} after its
 * first request, whichever comes first. The caller never blocks on inference.
 */
public final class InferenceBatcher implements AutoCloseable {

    /** Receives one batch's outcome: its results, how many there were, how long the call took. */
    public interface Listener {
        void onBatch(int size, long micros);

        void onFailure(int size, Exception error);
    }

    private final OnnxModel model;
    private final int maxBatch;
    private final long maxWaitMicros;
    private final Listener listener;
    private final ScheduledExecutorService worker;
    private final FloatBuffer windows;

    private final Object lock = new Object();
    private List<Pending> pending = new ArrayList<>();
    private ScheduledFuture<?> scheduledFlush;

    public InferenceBatcher(OnnxModel model, int maxBatch, Duration maxWait, Listener listener) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitMicros = Math.max(1, maxWait.toNanos() / 1000);
        this.listener = listener;
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(
                        1,
                        runnable -> {
                            Thread thread = new Thread(runnable, "barcast-inference");
                            thread.setDaemon(true);
                            return thread;
                        });
        executor.setRemoveOnCancelPolicy(true);
        this.worker = executor;
        this.windows =
                ByteBuffer.allocateDirect(maxBatch * model.windowSize() * Float.BYTES)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
    }

    /** Queues a request; {@code done} is called once, from the inference thread. */
    public void submit(InferenceRequest request, Consumer<InferenceResult> done) {
        if (request.window().length != model.windowSize()) {
            done.accept(
                    InferenceResult.failure(
                            request,
                            model.spec().name(),
                            model.spec().version(),
                            "window has "
                                    + request.window().length
                                    + " values, the model reads "
                                    + model.windowSize()));
            return;
        }
        List<Pending> full = null;
        synchronized (lock) {
            pending.add(new Pending(request, done));
            if (pending.size() >= maxBatch) {
                full = takePending();
            } else if (pending.size() == 1) {
                List<Pending> owner = pending;
                scheduledFlush =
                        worker.schedule(
                                () -> flushOnTime(owner), maxWaitMicros, TimeUnit.MICROSECONDS);
            }
        }
        if (full != null) {
            List<Pending> batch = full;
            worker.execute(() -> run(batch));
        }
    }

    /** Flushes {@code owner} if it is still the batch being filled (not taken by size). */
    private void flushOnTime(List<Pending> owner) {
        List<Pending> batch;
        synchronized (lock) {
            if (pending != owner) {
                return;
            }
            batch = takePending();
        }
        if (!batch.isEmpty()) {
            run(batch);
        }
    }

    private List<Pending> takePending() {
        List<Pending> batch = pending;
        pending = new ArrayList<>();
        if (scheduledFlush != null) {
            scheduledFlush.cancel(false);
            scheduledFlush = null;
        }
        return batch;
    }

    /** Runs on the inference thread only, so the direct buffer needs no lock. */
    private void run(List<Pending> batch) {
        int size = batch.size();
        String name = model.spec().name();
        String version = model.spec().version();
        try {
            windows.clear();
            for (Pending p : batch) {
                windows.put(p.request.window());
            }
            long start = System.nanoTime();
            float[][] output = model.predict(windows, size);
            long micros = (System.nanoTime() - start) / 1000;
            listener.onBatch(size, micros);
            for (int i = 0; i < size; i++) {
                Pending p = batch.get(i);
                p.done.accept(
                        InferenceResult.success(p.request, name, version, output[i], size, micros));
            }
        } catch (Exception e) {
            listener.onFailure(size, e);
            String failure = "inference failed: " + e.getMessage();
            for (Pending p : batch) {
                p.done.accept(InferenceResult.failure(p.request, name, version, failure));
            }
        }
    }

    /**
     * Stops the inference thread.
     *
     * @return whether it stopped; if not, a native call may still use the model's session
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
