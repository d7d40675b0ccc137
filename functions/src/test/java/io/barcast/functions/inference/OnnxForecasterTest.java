package io.barcast.functions.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.model.ModelBundle;
import io.barcast.functions.TestModels;
import io.barcast.functions.models.ModelLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The async inference operator on the real default model, in a test harness. */
@Timeout(120)
class OnnxForecasterTest {

    private static final ModelLocation DEFAULT_MODEL =
            ModelLocation.at(Path.of("..", "models", "default").toString());

    private static ModelBundle model;

    @BeforeAll
    static void loadModel() throws Exception {
        model = TestModels.defaultModel();
    }

    private static OneInputStreamOperatorTestHarness<InferenceRequest, InferenceResult> harness(
            int maxBatch, Duration maxWait, long timeoutMillis) throws Exception {
        return harness(DEFAULT_MODEL, maxBatch, maxWait, timeoutMillis);
    }

    private static OneInputStreamOperatorTestHarness<InferenceRequest, InferenceResult> harness(
            ModelLocation location, int maxBatch, Duration maxWait, long timeoutMillis)
            throws Exception {
        var factory =
                new AsyncWaitOperatorFactory<>(
                        new OnnxForecaster(location, SymbolCalendars.defaults(), maxBatch, maxWait),
                        timeoutMillis,
                        1000,
                        AsyncDataStream.OutputMode.UNORDERED);
        var harness =
                new OneInputStreamOperatorTestHarness<>(
                        factory,
                        TypeInformation.of(InferenceRequest.class)
                                .createSerializer(new SerializerConfigImpl()));
        harness.open();
        return harness;
    }

    private static List<InferenceRequest> requests(int count) {
        int size = model.spec().input().sequenceLength() * model.spec().input().features().size();
        Random random = new Random(7);
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] window = new float[size];
            for (int j = 0; j < size; j++) {
                window[j] = (float) random.nextGaussian();
            }
            requests.add(
                    new InferenceRequest(
                            "SYM" + i,
                            900_000L * i,
                            "new_bar",
                            100 + i,
                            "default",
                            model.spec().version(),
                            window,
                            0,
                            0));
        }
        return requests;
    }

    private static List<InferenceResult> run(
            OneInputStreamOperatorTestHarness<InferenceRequest, InferenceResult> harness,
            List<InferenceRequest> requests)
            throws Exception {
        for (InferenceRequest request : requests) {
            harness.processElement(request, 0);
        }
        harness.endInput();
        List<InferenceResult> results = harness.extractOutputValues();
        harness.close();
        return results;
    }

    @Test
    void flushesAMicroBatchWhenItIsFull() throws Exception {
        // the batch wait is far longer than the test: only the size can flush these
        var results = run(harness(4, Duration.ofHours(1), 600_000), requests(8));

        assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
        assertThat(results).extracting(InferenceResult::batchSize).containsOnly(4);
        assertThat(results)
                .allSatisfy(
                        r -> {
                            assertThat(r.logReturns())
                                    .hasSize(model.spec().output().horizonSteps().length);
                            for (float value : r.logReturns()) {
                                assertThat(Float.isFinite(value)).isTrue();
                            }
                            assertThat(r.model().version()).isEqualTo(model.spec().version());
                            assertThat(r.model().folder()).isEqualTo("default");
                            assertThat(r.model().horizonSteps())
                                    .containsExactly(model.spec().output().horizonSteps());
                            // the symbols are stocks: the held-out record on XNYS travels along
                            assertThat(r.model().heldOut().points()).isPositive();
                            assertThat(r.model().trainedAt()).isPositive();
                            assertThat(r.quantileLogReturns()).isEmpty();
                        });
    }

    @Test
    void flushesAPartialMicroBatchAfterTheWait() throws Exception {
        var results = run(harness(100, Duration.ofMillis(20), 600_000), requests(3));

        assertThat(results).hasSize(3).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
        assertThat(results).extracting(InferenceResult::batchSize).containsOnly(3);
    }

    @Test
    void aRequestNotAnsweredInTimeBecomesAFailureNotAHang() throws Exception {
        var harness = harness(100, Duration.ofHours(1), 50);
        harness.processElement(requests(1).get(0), 0);
        harness.setProcessingTime(harness.getProcessingTime() + 51);
        var results = run(harness, List.of());

        assertThat(results)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.succeeded()).isFalse();
                            assertThat(r.failure()).isEqualTo("inference timed out");
                            assertThat(r.symbol()).isEqualTo("SYM0");
                        });
    }

    @Test
    void aWindowOfTheWrongSizeFailsThatRequestOnly() throws Exception {
        List<InferenceRequest> requests = new ArrayList<>(requests(2));
        requests.add(
                new InferenceRequest(
                        "BAD",
                        0,
                        "new_bar",
                        1,
                        "default",
                        model.spec().version(),
                        new float[3],
                        0,
                        0));
        var results = run(harness(2, Duration.ofMillis(20), 600_000), requests);

        assertThat(results).hasSize(3);
        assertThat(results)
                .filteredOn(r -> r.symbol().equals("BAD"))
                .singleElement()
                .satisfies(r -> assertThat(r.failure()).contains("window has 3 values"));
        assertThat(results).filteredOn(InferenceResult::succeeded).hasSize(2);
    }

    @Test
    void batchedAndSingleInferenceGiveTheSameForecast() throws Exception {
        List<InferenceRequest> requests = requests(4);
        var batched = run(harness(4, Duration.ofHours(1), 600_000), requests);
        var single = run(harness(1, Duration.ofHours(1), 600_000), requests);
        for (InferenceResult one : single) {
            InferenceResult other =
                    batched.stream()
                            .filter(b -> b.symbol().equals(one.symbol()))
                            .findFirst()
                            .orElseThrow();
            assertThat(other.logReturns()).containsExactly(one.logReturns());
        }
    }

    @Test
    void aRequestForAModelVersionNoLongerServedFailsWithTheReason() throws Exception {
        InferenceRequest stale = requests(1).get(0);
        InferenceRequest request =
                new InferenceRequest(
                        stale.symbol(),
                        stale.asOf(),
                        stale.reason(),
                        stale.lastClose(),
                        "default",
                        "1999.01.01",
                        stale.window(),
                        0,
                        0);
        var results = run(harness(1, Duration.ofHours(1), 600_000), List.of(request));
        assertThat(results)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.succeeded()).isFalse();
                            assertThat(r.failure()).contains("1999.01.01");
                            assertThat(r.model().version()).isEqualTo("1999.01.01");
                        });
    }

    @Test
    void aQuantileModelGivesItsMedianAsTheForecastAndAllItsQuantiles() throws Exception {
        ModelLocation quantile =
                ModelLocation.at(
                        Path.of("src", "test", "resources", "models", "quantile").toString());
        InferenceRequest request =
                new InferenceRequest(
                        "X:ABC", 0, "new_bar", 100, "default", "1", new float[6], 0, 0);
        var results = run(harness(quantile, 1, Duration.ofHours(1), 600_000), List.of(request));
        assertThat(results)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.failure()).isNull();
                            assertThat(r.model().quantiles()).containsExactly(0.1, 0.5, 0.9);
                            assertThat(r.quantileLogReturns()).hasSize(6);
                            assertThat(r.logReturns())
                                    .containsExactly(
                                            r.quantileLogReturns()[1], r.quantileLogReturns()[4]);
                            assertThat(r.quantileLogReturns()[0])
                                    .isLessThan(r.quantileLogReturns()[1]);
                            assertThat(r.quantileLogReturns()[2])
                                    .isGreaterThan(r.quantileLogReturns()[1]);
                        });
    }
}
