package io.barcast.functions.forecast;

import io.barcast.core.Bar;
import io.barcast.core.ForecastReason;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.Symbols;
import io.barcast.core.confidence.BarWindow;
import io.barcast.core.features.FeatureCalculator;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.inference.InferenceBatcher;
import io.barcast.functions.inference.ModelFactsCache;
import io.barcast.functions.models.ModelLocation;
import io.barcast.functions.models.ModelRegistry;
import io.barcast.functions.models.ModelVersion;
import io.barcast.functions.sanitize.BarChecks;
import io.barcast.functions.track.ForecastAssembler;
import io.barcast.functions.track.TrackerSettings;
import io.barcast.functions.window.SymbolHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forecasts windows of bars handed to it, without Flink, as the job forecasts a symbol whose first
 * full window those bars are: the features of {@link SymbolHistory}, the model the {@link
 * ModelRegistry} serves the symbol now, and the path, band and confidence of the {@link
 * ForecastAssembler} with no track record (no residuals, no previous forecast, no feed delay).
 *
 * <p>The windows of one call go to ONNX Runtime together, in one batch per model version (up to
 * {@code maxBatch}), joined by those of calls made meanwhile ({@link InferenceBatcher}). Thread
 * safe: an HTTP server calls {@link #forecast} from many threads at once. Close it to let go of the
 * models.
 */
public final class BarsForecaster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BarsForecaster.class);

    private final ModelRegistry registry;
    private final InferenceBatcher batcher;
    private final ForecastAssembler assembler;
    private final BarChecks checks;
    private volatile boolean closed;

    /**
     * Opens the models of {@code models} (sharing the JVM's registry of that location, if any).
     *
     * @param settings as the job's tracker has them: calendars, interval, horizon, band and
     *     confidence settings apply; the rest plays no part
     * @param maxBatch the most windows one ONNX Runtime call takes
     * @param maxWait how long the first window waiting for a batch waits for others
     * @throws IllegalArgumentException when {@code maxBatch} is below 1, {@code maxWait} negative,
     *     or the default model cannot be served (with the reason)
     */
    public BarsForecaster(
            ModelLocation models, TrackerSettings settings, int maxBatch, Duration maxWait) {
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(settings, "settings");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        this.assembler = new ForecastAssembler(settings);
        // Bars handed over carry no event time and enter no state: a bar from the future harms
        // nothing here, so only the job's live sources hold bars to the wall clock.
        this.checks = BarChecks.withoutClock(settings.interval());
        this.registry = ModelRegistry.acquire(models);
        this.batcher =
                new InferenceBatcher(
                        registry,
                        new ModelFactsCache(settings.calendars()),
                        maxBatch,
                        maxWait,
                        new InferenceBatcher.Listener() {
                            @Override
                            public void onBatch(int size, long micros) {}

                            @Override
                            public void onFailure(int size, Exception error) {
                                LOG.warn("Inference of a batch of {} failed", size, error);
                            }
                        });
    }

    /**
     * Forecasts each window as of its newest bar, blocking until all are done.
     *
     * <p>Every window is checked before any is run, so a bad one fails the call with nothing
     * computed. A window needs at least the model's {@link ModelSpec#barsNeeded()} bars (84 for the
     * default model); only those newest bars make the model input, and the newest {@link
     * ForecastAssembler#RECENT_BARS} the volatility and confidence, as in the job.
     *
     * @param windows the windows; their symbols need not differ
     * @param timeout how long to wait for the model
     * @return one forecast per window, in the order of {@code windows}; its reason (and the trigger
     *     in its id, so it never shares the id of the job's forecast of the bar) {@link
     *     ForecastReason#API}, its {@code batchSize} the size of the ONNX Runtime call that made it
     * @throws IllegalArgumentException naming the symbol (or the window's position) and what is
     *     wrong: a symbol breaking the symbol rule, no bars, a bar of another symbol, a bar that
     *     {@link BarChecks} refuses (prices, volume, bar grid, time), bars out of time order or two
     *     of one time, fewer bars than the symbol's model needs
     * @throws ForecastFailedException when the model failed on a window (naming its symbol) or did
     *     not answer within {@code timeout}
     * @throws IllegalStateException after {@link #close()}
     */
    public List<Prediction> forecast(List<SymbolBars> windows, Duration timeout) {
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(timeout, "timeout");
        checkOpen();
        long receivedAt = System.currentTimeMillis();
        List<InferenceRequest> requests = new ArrayList<>(windows.size());
        List<BarWindow> recentBars = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            List<Bar> bars = checked(windows.get(i), i);
            requests.add(request(bars, i, receivedAt));
            recentBars.add(
                    BarWindow.of(
                            bars.subList(
                                    Math.max(0, bars.size() - ForecastAssembler.RECENT_BARS),
                                    bars.size())));
        }
        if (requests.isEmpty()) {
            return List.of();
        }
        InferenceResult[] results = infer(requests, timeout);
        List<Prediction> predictions = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) {
            InferenceResult result = results[i];
            if (!result.succeeded()) {
                throw new ForecastFailedException(
                        result.symbol(), result.symbol() + ": no forecast: " + result.failure());
            }
            predictions.add(
                    assembler
                            .assemble(
                                    result,
                                    recentBars.get(i),
                                    ForecastAssembler.PastForecasts.NONE,
                                    Duration.ZERO)
                            .prediction());
        }
        return predictions;
    }

    /**
     * The registry serving the models: {@link ModelRegistry#refresh()} picks up changed model
     * folders (the job's model watch does so every reload interval); do not release it.
     */
    public ModelRegistry registry() {
        return registry;
    }

    /** The window's bars as the job would accept them, its symbol on each. */
    private List<Bar> checked(SymbolBars window, int index) {
        if (window == null) {
            throw new IllegalArgumentException("window " + index + " is missing");
        }
        String symbolProblem = Symbols.problemOf(window.symbol());
        if (symbolProblem != null) {
            throw new IllegalArgumentException("window " + index + ": " + symbolProblem);
        }
        String symbol = Symbols.normalize(window.symbol());
        if (window.bars() == null || window.bars().isEmpty()) {
            throw new IllegalArgumentException(symbol + ": no bars");
        }
        List<Bar> bars = new ArrayList<>(window.bars().size());
        for (int i = 0; i < window.bars().size(); i++) {
            Bar bar = window.bars().get(i);
            if (bar == null) {
                throw new IllegalArgumentException(symbol + ": bar " + i + " is missing");
            }
            if (bar.symbol() != null && !symbol.equals(Symbols.normalize(bar.symbol()))) {
                throw new IllegalArgumentException(
                        symbol + ": bar " + i + " is of symbol " + Symbols.quote(bar.symbol()));
            }
            Bar own = bar.withSymbol(symbol);
            String problem = checks.problemOf(own);
            if (problem != null) {
                throw new IllegalArgumentException(symbol + ": bar " + i + ": " + problem);
            }
            if (i > 0 && own.time() <= bars.get(i - 1).time()) {
                throw new IllegalArgumentException(
                        symbol
                                + ": bar "
                                + i
                                + " at "
                                + Instant.ofEpochMilli(own.time())
                                + (own.time() == bars.get(i - 1).time()
                                        ? " has the time of the bar before it"
                                        : " is older than the bar before it")
                                + "; bars must be in time order, one per bar time");
            }
            bars.add(own);
        }
        return bars;
    }

    /**
     * The model input of the newest bars, for the model serving the symbol now. Features look back
     * a fixed number of bars, so the newest {@code barsNeeded} give the window that all of them
     * would: the one the job's symbol window holds after the same bars.
     *
     * @param index the window's place in the call, as the request's sequence: its answer's key
     */
    private InferenceRequest request(List<Bar> bars, int index, long receivedAt) {
        String symbol = bars.get(0).symbol();
        try (ModelRegistry.Lease lease = registry.current(symbol)) {
            ModelSpec spec = lease.model().spec();
            ModelVersion version = lease.version();
            FeatureCalculator calculator = spec.featureCalculator();
            int needed = spec.barsNeeded();
            if (bars.size() < needed) {
                throw new IllegalArgumentException(
                        symbol
                                + ": "
                                + bars.size()
                                + " bars, but model "
                                + version.folder()
                                + " "
                                + version.version()
                                + " needs at least "
                                + needed
                                + " ("
                                + spec.input().sequenceLength()
                                + " rows of features, each from the "
                                + calculator.lookback()
                                + " bars up to it)");
            }
            SymbolHistory history = SymbolHistory.create(spec);
            for (Bar bar : bars.subList(bars.size() - needed, bars.size())) {
                history.append(bar, calculator);
            }
            Bar newest = bars.get(bars.size() - 1);
            return new InferenceRequest(
                    symbol,
                    newest.time(),
                    ForecastReason.API.label(),
                    newest.close(),
                    version.folder(),
                    version.version(),
                    history.scaledWindow(spec),
                    receivedAt,
                    index);
        }
    }

    /** The model's answers, in the order of {@code requests}. */
    private InferenceResult[] infer(List<InferenceRequest> requests, Duration timeout) {
        InferenceResult[] results = new InferenceResult[requests.size()];
        AtomicInteger waiting = new AtomicInteger(requests.size());
        CompletableFuture<Void> answered = new CompletableFuture<>();
        try {
            batcher.submitAll(
                    requests,
                    result -> {
                        results[(int) result.sequence()] = result;
                        if (waiting.decrementAndGet() == 0) {
                            answered.complete(null);
                        }
                    });
        } catch (RejectedExecutionException e) {
            checkOpen();
            throw e;
        }
        try {
            answered.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ForecastFailedException(
                    null,
                    "the model did not answer "
                            + requests.size()
                            + " windows within "
                            + timeout.toMillis()
                            + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForecastFailedException(null, "interrupted while waiting for the model");
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
        return results;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the bars forecaster is closed");
        }
    }

    /**
     * Stops the inference thread and lets go of the registry; calls still waiting fail with their
     * timeout. Idempotent.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        if (batcher.stop()) {
            registry.release();
        } else {
            // closing the session under a running native call would crash the JVM
            LOG.warn("Inference thread did not stop; leaving the shared session open");
        }
    }
}
