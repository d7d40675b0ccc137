package io.barcast.connectors.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records as JSON to a topic, keyed by a field (the symbol) so a symbol keeps its order.
 * Record timestamps are the time of writing, not the event time.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private final String topic;
    private final SerializableFunction<T, String> key;

    private transient ObjectMapper mapper;

    public JsonRecordSerializer(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        mapper = Json.newMapper();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        try {
            return new ProducerRecord<>(
                    topic,
                    null,
                    // Not the event time: a replay of old bars would stamp records days or years
                    // old, and time-based retention deletes such segments at once. The producer's
                    // clock it is; the event time is in the payload.
                    null,
                    key.apply(element).getBytes(StandardCharsets.UTF_8),
                    mapper.writeValueAsBytes(element));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write record as JSON for " + topic, e);
        }
    }
}
