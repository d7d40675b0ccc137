package io.barcast.functions.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.Bar;
import io.barcast.core.ForecastReason;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.confidence.ConfidenceScorer;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.testing.RealBars;
import io.barcast.functions.TestModels;
import io.barcast.functions.inference.OnnxForecaster;
import io.barcast.functions.models.ModelLocation;
import io.barcast.functions.models.ModelRegistry;
import io.barcast.functions.track.MonitorSettings;
import io.barcast.functions.track.PredictionTracker;
import io.barcast.functions.track.TrackerSettings;
import io.barcast.functions.window.SymbolWindowFunction;
import io.barcast.functions.window.WindowInput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forecasts of handed-over bars against the job's own operators (symbol window, ONNX forecaster,
 * prediction tracker) on the same real ETH bars and the real default model.
 */
@Timeout(120)
class BarsForecasterTest {

    private static final ModelLocation MODELS =
            ModelLocation.at(Path.of("..", "models", "default").toString());
    private static final Duration TTL = Duration.ofDays(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ETH = RealBars.ETH_SYMBOL;

    private static final TrackerSettings SETTINGS =
            new TrackerSettings(
                    SymbolCalendars.defaults(),
                    Duration.ofMinutes(15),
                    7,
                    0.8,
                    30,
                    50,
                    ConfidenceScorer.withDefaults(),
                    2.0,
                    0.6,
                    false,
                    TTL,
                    MonitorSettings.defaults());

    private static List<Bar> eth;
    private static int barsNeeded;
    private static BarsForecaster forecaster;

    @BeforeAll
    static void open() throws Exception {
        eth = RealBars.eth15m();
        ModelBundle model = TestModels.defaultModel();
        barsNeeded = model.spec().barsNeeded();
        forecaster = new BarsForecaster(MODELS, SETTINGS, 64, Duration.ofMillis(20));
    }

    @AfterAll
    static void close() throws Exception {
        forecaster.close();
    }

    @Test
    void forecastsAWindowAsTheJobForecastsTheFirstFullWindowOfTheSameBars() throws Exception {
        List<Bar> bars = eth.subList(0, barsNeeded);

        Prediction job = jobForecast(bars);
        Prediction api = single(bars);

        assertSameForecast(api, job);
        assertThat(api.reason()).isEqualTo(ForecastReason.API.label());
        assertThat(api.id())
                .isEqualTo(
                        Prediction.idOf(
                                ETH,
                                job.asOf(),
                                job.modelName(),
                                job.modelVersion(),
                                ForecastReason.API.label()))
                .isNotEqualTo(job.id());
    }

    @Test
    void aLongerWindowIsForecastFromItsNewestBarsAsTheJobDoes() throws Exception {
        // more bars than the model input and the confidence read: only the newest count
        Prediction job = jobForecast(eth);
        Prediction api = single(eth);

        assertSameForecast(api, job);
        assertThat(api.asOf()).isEqualTo(eth.get(eth.size() - 1).time());
    }

    @Test
    void theWindowsOfOneCallShareOneInferenceBatch() {
        List<SymbolBars> windows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String symbol = "X:ETH" + i + "USD";
            List<Bar> bars =
                    eth.subList(10 * i, 10 * i + barsNeeded + i).stream()
                            .map(b -> b.withSymbol(symbol.toLowerCase()))
                            .toList();
            windows.add(new SymbolBars(symbol.toLowerCase(), bars));
        }

        List<Prediction> batched = forecaster.forecast(windows, TIMEOUT);

        assertThat(batched).hasSize(5).extracting(Prediction::batchSize).containsOnly(5);
        for (int i = 0; i < 5; i++) {
            Prediction alone = forecaster.forecast(List.of(windows.get(i)), TIMEOUT).get(0);
            assertThat(alone.batchSize()).isEqualTo(1);
            assertThat(batched.get(i).symbol()).isEqualTo("X:ETH" + i + "USD");
            assertSameForecast(batched.get(i), alone);
        }
    }

    @Test
    void callsFromManyThreadsAreBatchedTogether() throws Exception {
        // the wait is far longer than the test: only the fourth window can flush the batch
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (BarsForecaster fourAtATime =
                new BarsForecaster(MODELS, SETTINGS, 4, Duration.ofHours(1))) {
            List<Future<List<Prediction>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<Bar> bars = eth.subList(i, i + barsNeeded);
                calls.add(
                        callers.submit(
                                () ->
                                        fourAtATime.forecast(
                                                List.of(new SymbolBars(ETH, bars)), TIMEOUT)));
            }
            for (int i = 0; i < 4; i++) {
                Prediction prediction = calls.get(i).get().get(0);
                assertThat(prediction.batchSize()).isEqualTo(4);
                assertThat(prediction.asOf()).isEqualTo(eth.get(i + barsNeeded - 1).time());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void tooFewBarsForTheModelAreRefusedNamingTheSymbolAndTheNeed() {
        List<Bar> bars = eth.subList(0, barsNeeded - 1);
        assertThatThrownBy(() -> forecaster.forecast(List.of(new SymbolBars(ETH, bars)), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ETH + ": " + (barsNeeded - 1) + " bars")
                .hasMessageContaining("needs at least " + barsNeeded);
    }

    @Test
    void barsOutOfOrderOrTwiceAreRefusedNamingTheBar() {
        List<Bar> swapped = new ArrayList<>(eth.subList(0, barsNeeded));
        swapped.set(10, eth.get(11));
        swapped.set(11, eth.get(10));
        assertThatThrownBy(
                        () -> forecaster.forecast(List.of(new SymbolBars(ETH, swapped)), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ETH + ": bar 11 at ")
                .hasMessageContaining("older than the bar before it");

        List<Bar> twice = new ArrayList<>(eth.subList(0, barsNeeded));
        twice.add(5, eth.get(4));
        assertThatThrownBy(() -> forecaster.forecast(List.of(new SymbolBars(ETH, twice)), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ETH + ": bar 5 at ")
                .hasMessageContaining("has the time of the bar before it");
    }

    @Test
    void aBadBarOrSymbolFailsTheWholeCallWithTheJobsReason() {
        List<Bar> bad = new ArrayList<>(eth.subList(0, barsNeeded));
        Bar bar = bad.get(20);
        bad.set(20, Bar.of(ETH, bar.time(), bar.open(), 1, bar.low(), bar.close(), 1));
        SymbolBars good = new SymbolBars("X:BTCUSD", withSymbol(eth, "X:BTCUSD"));
        assertThatThrownBy(
                        () -> forecaster.forecast(List.of(good, new SymbolBars(ETH, bad)), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(ETH + ": bar 20: high 1.0 is below max(open, close)");

        assertThatThrownBy(
                        () -> forecaster.forecast(List.of(new SymbolBars("ETH USD", eth)), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("window 0: symbol 'ETH USD' is not");
        assertThatThrownBy(
                        () ->
                                forecaster.forecast(
                                        List.of(new SymbolBars("X:BTCUSD", eth)), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("X:BTCUSD: bar 0 is of symbol " + ETH);
        assertThatThrownBy(
                        () -> forecaster.forecast(List.of(new SymbolBars(ETH, List.of())), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(ETH + ": no bars");
    }

    @Test
    void refusesCallsOnceClosed() throws Exception {
        BarsForecaster closed = new BarsForecaster(MODELS, SETTINGS, 8, Duration.ofMillis(5));
        closed.close();
        closed.close();
        assertThatThrownBy(() -> closed.forecast(List.of(new SymbolBars(ETH, eth)), TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        // the shared registry stays open for the others
        assertThat(forecaster.forecast(List.of(new SymbolBars(ETH, eth)), TIMEOUT)).hasSize(1);
    }

    private static Prediction single(List<Bar> bars) {
        List<Prediction> predictions =
                forecaster.forecast(List.of(new SymbolBars(ETH, bars)), TIMEOUT);
        assertThat(predictions).hasSize(1);
        return predictions.get(0);
    }

    private static List<Bar> withSymbol(List<Bar> bars, String symbol) {
        return bars.stream().map(b -> b.withSymbol(symbol)).toList();
    }

    /** The same forecast up to the measurements of the run and the reason. */
    private static void assertSameForecast(Prediction actual, Prediction expected) {
        assertThat(actual.symbol()).isEqualTo(expected.symbol());
        assertThat(actual.asOf()).isEqualTo(expected.asOf());
        assertThat(actual.modelFolder()).isEqualTo(expected.modelFolder());
        assertThat(actual.modelName()).isEqualTo(expected.modelName());
        assertThat(actual.modelVersion()).isEqualTo(expected.modelVersion());
        assertThat(actual.lastClose()).isEqualTo(expected.lastClose());
        assertThat(actual.times()).containsExactly(expected.times());
        assertThat(actual.prices()).hasSameSizeAs(expected.prices());
        for (int i = 0; i < expected.prices().length; i++) {
            double price = expected.prices()[i];
            assertThat(actual.prices()[i]).isCloseTo(price, offset(1e-9 * price));
        }
        assertThat(actual.bandMethod()).isEqualTo(expected.bandMethod());
        assertThat(actual.bandCoverage()).isEqualTo(expected.bandCoverage());
        assertThat(actual.lower()).containsExactly(expected.lower());
        assertThat(actual.upper()).containsExactly(expected.upper());
        assertThat(actual.confidence()).isEqualTo(expected.confidence());
        assertThat(actual.confidenceLevel()).isEqualTo(expected.confidenceLevel());
        assertThat(actual.confidenceFactors()).containsExactly(expected.confidenceFactors());
        assertThat(actual.confidenceDecay()).isEqualTo(expected.confidenceDecay());
    }

    /**
     * The job's forecast as of the newest of {@code bars}, when it is the symbol's first: the bars
     * through the symbol window, its newest request through the ONNX forecaster, then the accepted
     * bars and that result through the prediction tracker.
     */
    private static Prediction jobForecast(List<Bar> bars) throws Exception {
        ModelRegistry registry = ModelRegistry.acquire(MODELS);
        try {
            var window =
                    ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                            new SymbolWindowFunction(registry.catalog().models(), TTL),
                            WindowInput::symbol,
                            Types.STRING,
                            SymbolWindowFunction.catalogDescriptor());
            for (Bar bar : bars) {
                window.processElement(WindowInput.of(bar), bar.time());
            }
            List<InferenceRequest> requests = window.extractOutputValues();
            List<Bar> accepted =
                    window.getSideOutput(SymbolWindowFunction.ACCEPTED_BARS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            window.close();
            assertThat(requests).isNotEmpty();
            assertThat(accepted).hasSameSizeAs(bars);

            var inference =
                    new OneInputStreamOperatorTestHarness<>(
                            new AsyncWaitOperatorFactory<>(
                                    new OnnxForecaster(
                                            MODELS, SETTINGS.calendars(), 1, Duration.ofMillis(1)),
                                    TIMEOUT.toMillis(),
                                    10,
                                    AsyncDataStream.OutputMode.ORDERED),
                            TypeInformation.of(InferenceRequest.class)
                                    .createSerializer(new SerializerConfigImpl()));
            inference.open();
            inference.processElement(requests.get(requests.size() - 1), 0);
            inference.endInput();
            InferenceResult result = inference.extractOutputValues().get(0);
            inference.close();
            assertThat(result.failure()).isNull();

            var tracker =
                    new KeyedTwoInputStreamOperatorTestHarness<>(
                            new KeyedCoProcessOperator<>(new PredictionTracker(SETTINGS)),
                            InferenceResult::symbol,
                            Bar::symbol,
                            Types.STRING);
            tracker.open();
            for (Bar bar : accepted) {
                tracker.processElement2(new StreamRecord<>(bar, bar.time()));
            }
            tracker.processElement1(new StreamRecord<>(result, result.asOf()));
            List<Prediction> predictions = tracker.extractOutputValues();
            tracker.close();
            assertThat(predictions).hasSize(1);
            return predictions.get(0);
        } finally {
            registry.release();
        }
    }
}
