package io.barcast.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.core.Alert;
import io.barcast.core.DeadLetter;
import io.barcast.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class JsonRecordSerializerTest {

    private static final String TOPIC = "barcast.alerts";
    private static final String DEAD_LETTERS = "barcast.dead-letters";
    private static final long EVENT_TIME = 1_700_000_000_000L;

    @Test
    void aRecordWithinTheLimitGoesToItsTopic() {
        JsonRecordSerializer<Alert> serializer = serializer(10_000);
        Alert alert = alert("short");

        ProducerRecord<byte[], byte[]> record = serializer.serialize(alert, null, EVENT_TIME);

        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("AAPL");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"short\"");
        assertThat(record.timestamp()).isNull();
    }

    @Test
    void aRecordOverTheLimitBecomesADeadLetterForTheDeadLettersTopic() throws Exception {
        JsonRecordSerializer<Alert> serializer = serializer(50_000);
        Alert huge = alert("x".repeat(200_000));
        int size = 4 + Json.newMapper().writeValueAsBytes(huge).length;

        ProducerRecord<byte[], byte[]> record = serializer.serialize(huge, null, EVENT_TIME);

        assertThat(record.topic()).isEqualTo(DEAD_LETTERS);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("AAPL");
        assertThat(record.key().length + record.value().length).isLessThanOrEqualTo(50_000);
        DeadLetter letter = Json.newMapper().readValue(record.value(), DeadLetter.class);
        assertThat(letter.stage()).isEqualTo("sink");
        assertThat(letter.symbol()).isEqualTo("AAPL");
        assertThat(letter.eventTime()).isEqualTo(EVENT_TIME);
        assertThat(letter.reason())
                .isEqualTo(
                        "Kafka topic barcast.alerts would refuse this record: its key and value"
                                + " are "
                                + size
                                + " bytes, over the limit of 50000 bytes"
                                + " (kafka.max-record-bytes)");
        assertThat(letter.payload())
                .startsWith("{")
                .endsWith("[truncated: " + (size - 4) + " bytes in all]")
                .hasSizeLessThanOrEqualTo(DeadLetter.MAX_PAYLOAD_CHARS);
    }

    @Test
    void aRecordThatCannotBeWrittenAsJsonBecomesADeadLetter() throws Exception {
        JsonRecordSerializer<Unwritable> serializer =
                new JsonRecordSerializer<>(TOPIC, Unwritable::getSymbol, DEAD_LETTERS, 10_000);
        serializer.open(null, null);

        ProducerRecord<byte[], byte[]> record =
                serializer.serialize(new Unwritable(), null, EVENT_TIME);

        assertThat(record.topic()).isEqualTo(DEAD_LETTERS);
        DeadLetter letter = Json.newMapper().readValue(record.value(), DeadLetter.class);
        assertThat(letter.stage()).isEqualTo("sink");
        assertThat(letter.reason())
                .startsWith(
                        "This record could not be written as JSON for Kafka topic barcast.alerts")
                .contains("no price yet");
        assertThat(letter.payload()).isEqualTo("an unwritable record");
    }

    @Test
    void aDeadLetterOverTheLimitStopsTheJobSayingWhy() {
        JsonRecordSerializer<Alert> serializer = serializer(100);

        assertThatThrownBy(() -> serializer.serialize(alert("y".repeat(500)), null, EVENT_TIME))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("barcast.alerts")
                .hasMessageContaining("its dead letter")
                .hasMessageContaining("over kafka.max-record-bytes (100 bytes)");
    }

    @Test
    void theProducersRequestLimitAlwaysFitsTheLargestRecordLetThrough() {
        assertThat(KafkaSinks.maxRequestBytes(1_000_000)).isEqualTo(1_048_576);
        assertThat(KafkaSinks.maxRequestBytes(100)).isEqualTo(1_048_576);
        assertThat(KafkaSinks.maxRequestBytes(2_000_000))
                .isEqualTo(2_000_000 + KafkaSinks.RECORD_OVERHEAD_BYTES);
    }

    private static JsonRecordSerializer<Alert> serializer(int maxRecordBytes) {
        JsonRecordSerializer<Alert> serializer =
                new JsonRecordSerializer<>(TOPIC, Alert::symbol, DEAD_LETTERS, maxRecordBytes);
        serializer.open(null, null);
        return serializer;
    }

    private static Alert alert(String message) {
        return new Alert(
                "5f1e8a0e-0000-4000-8000-000000000001", "info", "model", "AAPL", message, 0);
    }

    /** A record Jackson cannot write: a getter throws. */
    public static final class Unwritable {
        public String getSymbol() {
            return "AAPL";
        }

        public double getPrice() {
            throw new IllegalStateException("no price yet");
        }

        @Override
        public String toString() {
            return "an unwritable record";
        }
    }
}
