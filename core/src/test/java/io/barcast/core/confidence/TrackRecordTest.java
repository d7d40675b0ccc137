package io.barcast.core.confidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrackRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheDefaultModelsHeldOutSymbolsUpToOneTradingDay() throws IOException {
        JsonNode training =
                JSON.readTree(Path.of("../models/default/model.json").toFile()).path("training");

        TrackRecord xnys = TrackRecord.fromTrainingMetrics(training, "XNYS");
        TrackRecord crypto = TrackRecord.fromTrainingMetrics(training, "24x7");

        // XNYS: steps 1, 2, 4, 8, 16, 26; 24x7: also 52 and 78 (a day is 96 bars).
        assertThat(xnys.points()).isEqualTo(78_102);
        assertThat(xnys.modelMae()).isCloseTo(0.008329841871456191, offset(1e-12));
        assertThat(xnys.naiveMae()).isCloseTo(0.008316753834365961, offset(1e-12));
        assertThat(xnys.directionalAccuracy()).isCloseTo(0.5114152394930364, offset(1e-12));
        assertThat(crypto.points()).isEqualTo(184_154);
        assertThat(crypto.modelMae()).isCloseTo(0.01319625006647958, offset(1e-12));
        assertThat(crypto.directionalAccuracy()).isCloseTo(0.5044923084456727, offset(1e-12));
    }

    @Test
    void isNoneWhenTheMetricsAreMissingOrTheCalendarUnknown() throws IOException {
        JsonNode training =
                JSON.readTree(Path.of("../models/default/model.json").toFile()).path("training");

        assertThat(TrackRecord.fromTrainingMetrics(training, "XLON")).isEqualTo(TrackRecord.NONE);
        assertThat(TrackRecord.fromTrainingMetrics(JSON.readTree("{}"), "XNYS"))
                .isEqualTo(TrackRecord.NONE);
        assertThat(TrackRecord.fromTrainingMetrics(null, "XNYS")).isEqualTo(TrackRecord.NONE);
        JsonNode notAList = JSON.readTree("{\"metrics\":{\"test_symbols\":{\"XNYS\":\"n/a\"}}}");
        assertThat(TrackRecord.fromTrainingMetrics(notAList, "XNYS")).isEqualTo(TrackRecord.NONE);
    }

    @Test
    void skipsUnreadableStepsAndStepsBeyondADay() throws IOException {
        JsonNode training =
                JSON.readTree(
                        """
                        {"metrics": {"test_symbols": {"XNYS": [
                          {"step": 1, "samples": 100, "mae": 0.01, "naive_mae": 0.02,
                           "directional_accuracy": 0.6},
                          {"step": 2, "samples": 300, "mae": 0.03, "naive_mae": 0.02,
                           "directional_accuracy": 0.5},
                          {"step": 4, "samples": 50, "mae": "?", "naive_mae": 0.02,
                           "directional_accuracy": 0.5},
                          {"step": 52, "samples": 1000, "mae": 9, "naive_mae": 9,
                           "directional_accuracy": 0}
                        ]}}}
                        """);

        TrackRecord record = TrackRecord.fromTrainingMetrics(training, "XNYS");

        assertThat(record.points()).isEqualTo(400);
        assertThat(record.modelMae()).isCloseTo(0.025, offset(1e-12));
        assertThat(record.naiveMae()).isCloseTo(0.02, offset(1e-12));
        assertThat(record.directionalAccuracy()).isCloseTo(0.525, offset(1e-12));
        assertThat(record.skill()).isCloseTo(-0.25, offset(1e-12));
    }

    @Test
    void refusesImpossibleRecords() {
        assertThatThrownBy(() -> new TrackRecord(-1, 0, 0, 0.5)).hasMessageContaining("points");
        assertThatThrownBy(() -> new TrackRecord(1, Double.NaN, 0, 0.5))
                .hasMessageContaining("modelMae");
        assertThatThrownBy(() -> new TrackRecord(1, 0, 0, 1.5))
                .hasMessageContaining("directionalAccuracy");
    }
}
