package io.barcast.connectors.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Kafka sinks of barcast's outputs: JSON, keyed by symbol, exactly-once (transactions committed on
 * checkpoints; readers use {@code isolation.level=read_committed}).
 */
public final class KafkaSinks {

    private KafkaSinks() {}

    /**
     * @param transactionTimeout must not exceed the broker's {@code transaction.max.timeout.ms} (15
     *     minutes by default), or the producers cannot start
     */
    public static <T> KafkaSink<T> exactlyOnceJson(
            String bootstrapServers,
            String topic,
            SerializableFunction<T, String> key,
            String transactionalIdPrefix,
            Duration transactionTimeout) {
        Properties producer = new Properties();
        producer.setProperty(
                "transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new JsonRecordSerializer<>(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
