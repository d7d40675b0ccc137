package io.barcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ForecastReasonTest {

    @Test
    void labelsAreTheStringsOfRecordsTopicsAndTables() {
        assertThat(Arrays.stream(ForecastReason.values()).map(ForecastReason::label))
                .containsExactly(
                        "new_bar",
                        "revision",
                        "model_update",
                        "api",
                        "validation_drift",
                        "accuracy_drop",
                        "manual");
    }

    @Test
    void onlyARepredictionCauseIsAReprediction() {
        assertThat(ForecastReason.causes())
                .containsExactly("validation_drift", "accuracy_drop", "manual");
        assertThat(ForecastReason.isReprediction("validation_drift")).isTrue();
        assertThat(ForecastReason.isReprediction("manual")).isTrue();
        assertThat(ForecastReason.isReprediction("new_bar")).isFalse();
        assertThat(ForecastReason.isReprediction("revision")).isFalse();
        assertThat(ForecastReason.isReprediction("because")).isFalse();
        assertThat(ForecastReason.isReprediction(null)).isFalse();
    }

    @Test
    void readsALabelBack() {
        for (ForecastReason reason : ForecastReason.values()) {
            assertThat(ForecastReason.ofLabel(reason.label())).contains(reason);
        }
        assertThat(ForecastReason.ofLabel("NEW_BAR")).isEmpty();
    }

    @Test
    void aRequestOfBarcastsOwnHasTheSameIdWhetherTheCauseIsGivenAsEnumOrLabel() {
        assertThat(RepredictionRequest.of("AAPL", ForecastReason.ACCURACY_DROP, "a", 900_000, 1))
                .isEqualTo(RepredictionRequest.of("AAPL", "accuracy_drop", "a", 900_000, 1));
    }
}
