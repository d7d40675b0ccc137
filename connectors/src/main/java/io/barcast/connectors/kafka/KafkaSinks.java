package io.barcast.connectors.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka sinks of barcast's outputs: JSON, keyed by symbol, exactly-once (transactions committed on
 * checkpoints; readers use {@code isolation.level=read_committed}). A record a topic would refuse
 * goes to the dead-letters topic instead (see {@link JsonRecordSerializer}).
 */
public final class KafkaSinks {

    /** Kafka's default {@code max.request.size} and, give or take 12 bytes, message.max.bytes. */
    static final int KAFKA_DEFAULT_MAX_REQUEST_BYTES = 1_048_576;

    /**
     * What the producer counts on top of a record's key and value when it checks max.request.size:
     * the record batch header (61 bytes), the record's framing and varints, and headers (none).
     */
    static final int RECORD_OVERHEAD_BYTES = 1_024;

    private KafkaSinks() {}

    /**
     * @param deadLettersTopic where records {@code topic} would refuse go, as dead letters
     * @param maxRecordBytes the largest key plus value written; at most the topics' {@code
     *     max.message.bytes}
     * @param transactionTimeout must not exceed the broker's {@code transaction.max.timeout.ms} (15
     *     minutes by default), or the producers cannot start
     */
    public static <T> KafkaSink<T> exactlyOnceJson(
            String bootstrapServers,
            String topic,
            SerializableFunction<T, String> key,
            String deadLettersTopic,
            int maxRecordBytes,
            String transactionalIdPrefix,
            Duration transactionTimeout) {
        Properties producer = new Properties();
        producer.setProperty(
                "transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
        producer.setProperty(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(maxRequestBytes(maxRecordBytes)));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(
                        new JsonRecordSerializer<>(topic, key, deadLettersTopic, maxRecordBytes))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /**
     * The producer's max.request.size for a record limit: never below Kafka's default, and always
     * room for the largest record the serializer lets through, so that the serializer's check is
     * the one that bites (a record refused there becomes a dead letter; one the producer refuses
     * aborts the transaction and fails the job).
     */
    static int maxRequestBytes(int maxRecordBytes) {
        long needed = (long) maxRecordBytes + RECORD_OVERHEAD_BYTES;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(KAFKA_DEFAULT_MAX_REQUEST_BYTES, needed));
    }
}
