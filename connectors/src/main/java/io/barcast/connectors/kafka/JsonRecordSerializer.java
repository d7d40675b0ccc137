package io.barcast.connectors.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.DeadLetter;
import io.barcast.core.SafeText;
import io.barcast.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records as JSON to a topic, keyed by a field (the symbol) so a symbol keeps its order.
 * Record timestamps are the time of writing, not the event time.
 *
 * <p>A record the topic would refuse is redirected, before it is sent, to the dead-letters topic as
 * a dead letter (stage {@code sink}): one that cannot be written as JSON, and one whose key and
 * value together exceed {@code maxRecordBytes}. Sent, it would fail the producer's transaction and
 * with it the job, again on every restart. A dead letter that itself cannot be written fails the
 * job with the reason.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRecordSerializer.class);

    private final String topic;
    private final SerializableFunction<T, String> key;
    private final String deadLettersTopic;
    private final int maxRecordBytes;

    private transient ObjectMapper mapper;

    /**
     * @param deadLettersTopic where records this topic would refuse go, as dead letters
     * @param maxRecordBytes the largest key plus value, in bytes, written to either topic
     */
    public JsonRecordSerializer(
            String topic,
            SerializableFunction<T, String> key,
            String deadLettersTopic,
            int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be positive, got " + maxRecordBytes);
        }
        this.topic = topic;
        this.key = key;
        this.deadLettersTopic = deadLettersTopic;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        mapper = Json.newMapper();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        long eventTime = timestamp == null ? 0 : timestamp;
        String symbol = null;
        byte[] keyBytes;
        byte[] value;
        try {
            symbol = key.apply(element);
            keyBytes = symbol == null ? null : symbol.getBytes(StandardCharsets.UTF_8);
            value = mapper.writeValueAsBytes(element);
        } catch (Exception e) {
            return deadLetter(
                    symbol,
                    eventTime,
                    "This record could not be written as JSON for Kafka topic " + topic + ": " + e,
                    describe(element));
        }
        long size = (keyBytes == null ? 0L : keyBytes.length) + value.length;
        if (size > maxRecordBytes) {
            return deadLetter(
                    symbol,
                    eventTime,
                    "Kafka topic "
                            + topic
                            + " would refuse this record: its key and value are "
                            + size
                            + " bytes, over the limit of "
                            + maxRecordBytes
                            + " bytes (kafka.max-record-bytes)",
                    payloadOf(value));
        }
        return record(topic, keyBytes, value);
    }

    private ProducerRecord<byte[], byte[]> deadLetter(
            String symbol, long eventTime, String reason, String payload) {
        DeadLetter letter = DeadLetter.of(symbol, "sink", reason, eventTime, payload);
        LOG.warn("Redirected a record to {}: {}", deadLettersTopic, letter.reason());
        byte[] keyBytes = letter.symbol().getBytes(StandardCharsets.UTF_8);
        byte[] value;
        try {
            value = mapper.writeValueAsBytes(letter);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "A record for Kafka topic "
                            + topic
                            + " was refused ("
                            + letter.reason()
                            + ") and its dead letter cannot be written as JSON either: "
                            + e,
                    e);
        }
        long size = (long) keyBytes.length + value.length;
        if (size > maxRecordBytes) {
            throw new IllegalStateException(
                    "A record for Kafka topic "
                            + topic
                            + " was refused ("
                            + letter.reason()
                            + ") and its dead letter, "
                            + size
                            + " bytes, is over kafka.max-record-bytes ("
                            + maxRecordBytes
                            + " bytes) too; the job stops rather than drop it. Raise"
                            + " kafka.max-record-bytes (and the topics' max.message.bytes) to at"
                            + " least "
                            + size
                            + ".");
        }
        return record(deadLettersTopic, keyBytes, value);
    }

    private static ProducerRecord<byte[], byte[]> record(
            String topic, byte[] keyBytes, byte[] value) {
        return new ProducerRecord<>(
                topic,
                null,
                // Not the event time: a replay of old bars would stamp records days or years old,
                // and time-based retention deletes such segments at once. The producer's clock it
                // is; the event time is in the payload.
                null,
                keyBytes,
                value);
    }

    /** The record's own text, for a record that cannot be written as JSON. */
    private static String describe(Object element) {
        try {
            return String.valueOf(element);
        } catch (RuntimeException e) {
            return element.getClass().getName() + " (its text cannot be made either: " + e + ")";
        }
    }

    /** The start of an oversized value, decoded only as far as a dead letter keeps it. */
    private static String payloadOf(byte[] value) {
        int keep = Math.min(value.length, DeadLetter.MAX_PAYLOAD_CHARS);
        String prefix = new String(value, 0, keep, StandardCharsets.UTF_8);
        return SafeText.truncated(prefix, DeadLetter.MAX_PAYLOAD_CHARS, value.length, "bytes");
    }
}
