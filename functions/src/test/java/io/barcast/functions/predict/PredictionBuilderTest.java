package io.barcast.functions.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.TestModels;
import java.time.Instant;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class PredictionBuilderTest {

    private final ModelSpec spec = TestModels.tinySpec();

    private static InferenceResult result(String symbol, long asOf, String reason, float... out) {
        InferenceRequest request =
                new InferenceRequest(symbol, asOf, reason, 100.0, new float[0], 5);
        return InferenceResult.success(request, "tiny", "1", out, 1, 10);
    }

    @Test
    void mapsAStockForecastOntoTheNextWeekOfSessionBars() {
        long monday10am = Instant.parse("2026-03-16T14:00:00Z").toEpochMilli(); // 10:00 New York
        Prediction p =
                PredictionBuilder.build(
                        result("AAPL", monday10am, "new_bar", 0.01f, 0.02f), spec, 99);

        assertThat(p.times()).hasSize(130);
        assertThat(p.times()[0]).isEqualTo(monday10am + 900_000);
        assertThat(p.times()[129]).isEqualTo(monday10am + 7 * 86_400_000L);
        assertThat(p.prices()[0])
                .isCloseTo(100 * Math.exp(0.01), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(p.prices()[129])
                .isCloseTo(100 * Math.exp(0.02), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(p.predictedAt()).isEqualTo(99);
    }

    @Test
    void mapsACryptoForecastOntoEveryBarOfTheWeek() {
        long sunday = Instant.parse("2026-03-15T03:00:00Z").toEpochMilli();
        Prediction p =
                PredictionBuilder.build(
                        result("X:BTCUSD", sunday, "new_bar", 0.01f, 0.02f), spec, 0);
        assertThat(p.times()).hasSize(672);
    }

    @Test
    void theIdDependsOnSymbolBarAndModelOnlySoARevisionReplacesTheForecast() {
        long t = Instant.parse("2026-03-16T14:00:00Z").toEpochMilli();
        Prediction first =
                PredictionBuilder.build(result("AAPL", t, "new_bar", 0.01f, 0.02f), spec, 1);
        Prediction again =
                PredictionBuilder.build(result("AAPL", t, "new_bar", 0.01f, 0.02f), spec, 2);
        Prediction revised =
                PredictionBuilder.build(result("AAPL", t, "revision", 0.03f, 0.02f), spec, 3);
        Prediction other =
                PredictionBuilder.build(result("MSFT", t, "new_bar", 0.01f, 0.02f), spec, 1);

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(revised.id()).isEqualTo(first.id());
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void aFailedInferenceBecomesADeadLetter() throws Exception {
        InferenceRequest request =
                new InferenceRequest("AAPL", 900_000, "new_bar", 1, new float[0], 0);
        try (var harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new PredictionBuilder(spec))) {
            harness.processElement(
                    InferenceResult.failure(request, "tiny", "1", "inference timed out"), 0);
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.getSideOutput(DeadLetters.TAG))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getValue().stage()).isEqualTo("inference");
                                assertThat(r.getValue().reason()).isEqualTo("inference timed out");
                                assertThat(r.getValue().symbol()).isEqualTo("AAPL");
                            });
        }
    }
}
