package io.barcast.api.push;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Kafka consumers of the job's results that see only what the job committed ({@code
 * read_committed}): a transaction the job aborts on a failure never reaches a client.
 */
public final class CommittedConsumers {

    private CommittedConsumers() {}

    /**
     * A consumer of text records. With a group it commits offsets itself only when told (the caller
     * commits after it has made the records durable); without one it is assigned partitions by the
     * caller and commits nothing.
     *
     * @param group the consumer group, or null for none
     * @param offsetReset where a consumer without a committed offset starts: {@code latest} or
     *     {@code earliest}
     */
    public static KafkaConsumer<String, String> create(
            String bootstrapServers, String clientId, String group, String offsetReset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
