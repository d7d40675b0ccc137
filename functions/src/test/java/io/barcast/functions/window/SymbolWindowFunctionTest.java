package io.barcast.functions.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.ForecastReason;
import io.barcast.core.InferenceRequest;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.TestModels;
import io.barcast.functions.models.ModelCatalog;
import io.barcast.functions.models.ModelVersion;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SymbolWindowFunctionTest {

    private static final long START = 1_700_000_100_000L / 900_000 * 900_000;
    private static final Duration TTL = Duration.ofHours(6);

    private final ModelSpec spec = TestModels.tinySpec();
    private final ModelVersion tiny = version("default", spec, "fp1");
    private KeyedBroadcastOperatorTestHarness<String, WindowInput, ModelCatalog, InferenceRequest>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new SymbolWindowFunction(List.of(tiny), TTL),
                        WindowInput::symbol,
                        Types.STRING,
                        SymbolWindowFunction.catalogDescriptor());
    }

    private static ModelVersion version(String folder, ModelSpec spec, String fingerprint) {
        return new ModelVersion(folder, spec.name(), spec.version(), fingerprint, spec.toJson());
    }

    private static ModelSpec withVersion(ModelSpec spec, String version) {
        return new ModelSpec(
                spec.name(),
                version,
                spec.interval(),
                spec.calendars(),
                spec.input(),
                spec.output(),
                spec.training());
    }

    private void catalog(ModelVersion... models) throws Exception {
        harness.processBroadcastElement(new ModelCatalog(List.of(models), List.of()), 0);
    }

    private int stateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(Bar bar) throws Exception {
        harness.processElement(WindowInput.of(bar), bar.time());
    }

    private List<InferenceRequest> requests() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(DeadLetters.TAG) == null
                ? List.of()
                : harness.getSideOutput(DeadLetters.TAG).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    @Test
    void asksForAForecastOnceTheWindowIsFullThenOnEveryBar() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 6);
        // lookback 2 (log_return needs the previous close) + window 3 - 1 = 4 bars to the first
        for (Bar bar : bars) {
            send(bar);
        }
        assertThat(requests()).hasSize(3);
        InferenceRequest first = requests().get(0);
        assertThat(first.asOf()).isEqualTo(bars.get(3).time());
        assertThat(first.reason()).isEqualTo(ForecastReason.NEW_BAR.label());
        assertThat(first.lastClose()).isEqualTo(bars.get(3).close());
        assertThat(first.window()).hasSize(3 * 2);
        // oldest first: row 0 is bar 1's features, the last row bar 3's
        double logReturn3 = Math.log(bars.get(3).close() / bars.get(2).close());
        assertThat((double) first.window()[4])
                .isCloseTo(logReturn3, org.assertj.core.data.Offset.offset(1e-6));
        double logReturn1 = Math.log(bars.get(1).close() / bars.get(0).close());
        assertThat((double) first.window()[0])
                .isCloseTo(logReturn1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(harness.getSideOutput(SymbolWindowFunction.ACCEPTED_BARS)).hasSize(6);
    }

    @Test
    void answersARepredictionRequestOncePerBarWithTheCauseAsReason() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 6);
        for (Bar bar : bars.subList(0, 5)) {
            send(bar);
        }
        repredict("X:ABC", ForecastReason.VALIDATION_DRIFT.label());
        repredict("X:ABC", ForecastReason.MANUAL.label()); // the same bar: nothing new to say
        assertThat(requests()).hasSize(3);
        InferenceRequest answer = requests().get(2);
        assertThat(answer.reason()).isEqualTo(ForecastReason.VALIDATION_DRIFT.label());
        assertThat(answer.asOf()).isEqualTo(bars.get(4).time());
        // the same window as the bar's own forecast, numbered after it so it is the newer
        assertThat(answer.window()).isEqualTo(requests().get(1).window());
        assertThat(answer.sequence()).isGreaterThan(requests().get(1).sequence());

        send(bars.get(5));
        repredict("X:ABC", ForecastReason.MANUAL.label());
        assertThat(requests()).hasSize(5);
        assertThat(requests().get(4).reason()).isEqualTo(ForecastReason.MANUAL.label());
        assertThat(requests().get(4).asOf()).isEqualTo(bars.get(5).time());
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void sendsARepredictionForASymbolWithoutAFullWindowToDeadLetters() throws Exception {
        repredict("X:NONE", ForecastReason.MANUAL.label());
        for (Bar bar : TestModels.bars("X:ABC", START, 2)) {
            send(bar);
        }
        repredict("X:ABC", ForecastReason.MANUAL.label());
        assertThat(requests()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::stage, DeadLetter::symbol)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("reprediction", "X:NONE"),
                        org.assertj.core.groups.Tuple.tuple("reprediction", "X:ABC"));
        assertThat(deadLetters().get(0).reason()).contains("no bars of X:NONE");
        assertThat(deadLetters().get(1).reason()).contains("not full yet");
    }

    private void repredict(String symbol, String cause) throws Exception {
        harness.processElement(
                WindowInput.of(RepredictionRequest.of(symbol, cause, "test", 0, 1)), 0);
    }

    @Test
    void keepsSymbolsApart() throws Exception {
        for (Bar bar : TestModels.bars("X:ONE", START, 4)) {
            send(bar);
        }
        for (Bar bar : TestModels.bars("X:TWO", START, 3)) {
            send(bar);
        }
        assertThat(requests()).extracting(InferenceRequest::symbol).containsExactly("X:ONE");
    }

    @Test
    void rejectsExactDuplicatesAndLateBarsToDeadLetters() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 3);
        send(bars.get(0));
        send(bars.get(1));
        send(bars.get(2));
        send(bars.get(2));
        send(bars.get(0));

        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .anySatisfy(reason -> assertThat(reason).startsWith("duplicate"))
                .anySatisfy(reason -> assertThat(reason).startsWith("late"));
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.stage()).isEqualTo("window"));
        assertThat(harness.getSideOutput(SymbolWindowFunction.ACCEPTED_BARS)).hasSize(3);
    }

    @Test
    void aRevisionOfTheNewestBarReplacesItAndIsForecastAgain() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 4);
        for (Bar bar : bars) {
            send(bar);
        }
        Bar last = bars.get(3);
        Bar revised =
                new Bar(
                        last.symbol(),
                        last.time(),
                        last.open(),
                        last.high() + 1,
                        last.low(),
                        last.close() + 0.25,
                        last.volume() + 10,
                        null,
                        null);
        send(revised);

        assertThat(requests()).hasSize(2);
        InferenceRequest revision = requests().get(1);
        assertThat(revision.reason()).isEqualTo(ForecastReason.REVISION.label());
        assertThat(revision.asOf()).isEqualTo(last.time());
        assertThat(revision.lastClose()).isEqualTo(revised.close());
        assertThat(revision.window()[4]).isNotEqualTo(requests().get(0).window()[4]);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void clearsTheStateAndTimerOfASymbolSilentLongerThanTheTtl() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 5);
        for (Bar bar : bars) {
            send(bar);
        }
        assertThat(stateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.watermark(bars.get(4).time() + TTL.toMillis() - 1);
        assertThat(stateEntries()).isEqualTo(1);

        harness.watermark(bars.get(4).time() + TTL.toMillis());
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // the symbol starts over: a full window is needed again before the next forecast
        int before = requests().size();
        for (Bar bar : TestModels.bars("X:ABC", bars.get(4).time() + TTL.toMillis() + 900_000, 3)) {
            send(bar);
        }
        assertThat(requests()).hasSize(before);
    }

    @Test
    void keepsOnlyOneTimerPerSymbol() throws Exception {
        for (Bar bar : TestModels.bars("X:ABC", START, 10)) {
            send(bar);
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void namesTheModelVersionItScaledForInEveryRequest() throws Exception {
        for (Bar bar : TestModels.bars("X:ABC", START, 4)) {
            send(bar);
        }
        assertThat(requests())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.modelFolder()).isEqualTo("default");
                            assertThat(r.modelVersion()).isEqualTo("1");
                        });
    }

    @Test
    void aNewModelVersionAsksForAFreshForecastOfEverySymbolWithAFullWindow() throws Exception {
        List<Bar> one = TestModels.bars("X:ONE", START, 5);
        one.forEach(this::sendQuietly);
        TestModels.bars("X:TWO", START, 5).forEach(this::sendQuietly);
        TestModels.bars("X:NEW", START, 2).forEach(this::sendQuietly); // window not full yet
        int before = requests().size();

        catalog(tiny); // the same catalog again: nothing to do
        assertThat(requests()).hasSize(before);

        catalog(version("default", withVersion(spec, "2"), "fp2"));
        List<InferenceRequest> updates = requests().subList(before, requests().size());
        assertThat(updates)
                .extracting(InferenceRequest::symbol)
                .containsExactlyInAnyOrder("X:ONE", "X:TWO");
        assertThat(updates)
                .allSatisfy(
                        r -> {
                            assertThat(r.reason()).isEqualTo(ForecastReason.MODEL_UPDATE.label());
                            assertThat(r.modelVersion()).isEqualTo("2");
                        });
        InferenceRequest update =
                updates.stream().filter(r -> r.symbol().equals("X:ONE")).findFirst().orElseThrow();
        assertThat(update.asOf()).isEqualTo(one.get(4).time());
        assertThat(update.lastClose()).isEqualTo(one.get(4).close());

        send(TestModels.bars("X:ONE", START + 5 * 900_000, 1).get(0));
        assertThat(requests().get(requests().size() - 1).modelVersion()).isEqualTo("2");
    }

    @Test
    void aSymbolsOwnFolderServesThatSymbolOnly() throws Exception {
        catalog(tiny, version("X_ONE", withVersion(spec, "own"), "fp3"));
        TestModels.bars("X:ONE", START, 4).forEach(this::sendQuietly);
        TestModels.bars("X:TWO", START, 4).forEach(this::sendQuietly);
        assertThat(requests())
                .extracting(InferenceRequest::symbol, InferenceRequest::modelFolder)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("X:ONE", "X_ONE"),
                        org.assertj.core.groups.Tuple.tuple("X:TWO", "default"));

        // the folder goes away: the symbol falls back to default and is forecast again
        catalog(tiny);
        assertThat(requests().get(requests().size() - 1))
                .satisfies(
                        r -> {
                            assertThat(r.symbol()).isEqualTo("X:ONE");
                            assertThat(r.modelFolder()).isEqualTo("default");
                            assertThat(r.reason()).isEqualTo(ForecastReason.MODEL_UPDATE.label());
                        });
    }

    @Test
    void aModelWithOtherFeaturesGetsItsWindowRebuiltFromTheRawBars() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 6);
        bars.forEach(this::sendQuietly);
        ModelSpec logReturnsOnly =
                new ModelSpec(
                        "other",
                        "7",
                        spec.interval(),
                        spec.calendars(),
                        new ModelSpec.Input(
                                "window",
                                3,
                                List.of("log_return"),
                                new ModelSpec.Scaler(
                                        "standard", new double[] {0}, new double[] {1})),
                        spec.output(),
                        null);
        int before = requests().size();
        catalog(version("default", logReturnsOnly, "fp4"));

        InferenceRequest update = requests().get(before);
        assertThat(update.modelVersion()).isEqualTo("7");
        // the raw bars kept (4) are enough for 3 log returns
        assertThat(update.window()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            double expected = Math.log(bars.get(i + 3).close() / bars.get(i + 2).close());
            assertThat((double) update.window()[i])
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private void sendQuietly(Bar bar) {
        try {
            send(bar);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
