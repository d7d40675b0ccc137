package io.barcast.functions.track;

import static io.barcast.functions.track.TrackFixtures.CRYPTO_START;
import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Alert;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.functions.DeadLetters;
import org.junit.jupiter.api.Test;

class FailedInferencesTest {

    @Test
    void aFailedInferenceBecomesADeadLetterAndAWarning() throws Exception {
        InferenceRequest request =
                new InferenceRequest(
                        "X:ABC", CRYPTO_START, "new_bar", 1, "default", "7", new float[0], 5, 0);
        InferenceResult failed =
                InferenceResult.failure(
                        request,
                        InferenceResult.ModelFacts.unknown("default", "7"),
                        "inference timed out");
        try (PartHarness<FailedInferences> harness =
                new PartHarness<>(context -> new FailedInferences())) {
            harness.run("X:ABC", (failures, out, timers) -> failures.report(failed, out));

            assertThat(harness.side(DeadLetters.TAG))
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.stage()).isEqualTo("inference");
                                assertThat(d.reason()).isEqualTo("inference timed out");
                                assertThat(d.payload())
                                        .contains("\"symbol\":\"X:ABC\"")
                                        .contains("\"modelVersion\":\"7\"");
                            });
            assertThat(harness.side(PredictionTracker.ALERTS))
                    .singleElement()
                    .satisfies(
                            alert -> {
                                assertThat(alert.category()).isEqualTo(Alert.INFERENCE);
                                assertThat(alert.severity()).isEqualTo(Alert.WARNING);
                                assertThat(alert.message())
                                        .contains("model default 7")
                                        .endsWith("inference timed out");
                            });
        }
    }
}
