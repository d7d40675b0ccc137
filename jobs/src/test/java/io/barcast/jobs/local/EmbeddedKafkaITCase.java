package io.barcast.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaITCase {

    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void readCommittedSeesCommittedTransactionsButNotAbortedOnes() {
        KAFKA.createTopics(2, "tx");
        try (KafkaProducer<String, String> producer = transactionalProducer("tx-test")) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "a", "committed-1"));
            producer.send(new ProducerRecord<>("tx", "b", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "a", "aborted"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "c", "committed-3"));
            producer.commitTransaction();
        }

        assertThat(values(KAFKA.consume("tx", true, 3, TIMEOUT)))
                .containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
        // The aborted record was written: only the isolation level hides it.
        assertThat(values(KAFKA.consume("tx", false, 4, TIMEOUT)))
                .containsExactlyInAnyOrder("committed-1", "committed-2", "aborted", "committed-3");
    }

    @Test
    void readCommittedDoesNotSeeAnOpenTransaction() {
        KAFKA.createTopics(1, "open-tx");
        KAFKA.produce("open-tx", "k", "plain");
        try (KafkaProducer<String, String> producer = transactionalProducer("open-tx-test")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("open-tx", "k", "pending"));
            producer.flush();

            assertThat(values(KAFKA.consume("open-tx", true, 2, Duration.ofSeconds(2))))
                    .containsExactly("plain");

            producer.commitTransaction();
        }
        assertThat(values(KAFKA.consume("open-tx", true, 2, TIMEOUT)))
                .containsExactly("plain", "pending");
    }

    @Test
    void createTopicsIsIdempotentAndKeepsExistingPartitions() throws Exception {
        KAFKA.createTopics(3, "bars");
        KAFKA.createTopics(3, "bars", "forecasts");
        KAFKA.createTopics(1, "bars");

        try (Admin admin = admin(KAFKA.bootstrapServers())) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(Set.of("bars", "forecasts")).allTopicNames().get();
            assertThat(topics.get("bars").partitions()).hasSize(3);
            assertThat(topics.get("forecasts").partitions()).hasSize(3);
        }
    }

    @Test
    void producedRecordsAreReadBackInOrderWithTheirKeys() {
        KAFKA.createTopics(1, "ordered");
        KAFKA.produce(
                "ordered",
                List.of(Map.entry("k1", "v1"), Map.entry("k2", "v2"), Map.entry("k1", "v3")));

        List<ConsumerRecord<String, String>> records = KAFKA.consume("ordered", true, 3, TIMEOUT);

        assertThat(records)
                .extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(tuple("k1", "v1"), tuple("k2", "v2"), tuple("k1", "v3"));
    }

    @Test
    void brokerIsConfiguredForExactlyOnceOnOneNode() throws Exception {
        try (Admin admin = admin(KAFKA.bootstrapServers())) {
            Config config =
                    admin.describeConfigs(
                                    Set.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                            .all()
                            .get()
                            .values()
                            .iterator()
                            .next();
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
            assertThat(config.get("transaction.max.timeout.ms").value()).isEqualTo("900000");
            assertThat(config.get("transaction.state.log.replication.factor").value())
                    .isEqualTo("1");
            assertThat(config.get("transaction.state.log.min.isr").value()).isEqualTo("1");
            assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
        }
    }

    @Test
    void restartOnAGivenDataDirKeepsTopicsAndRecords(@TempDir Path dir) {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(1, "kept");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerProps(kafka.bootstrapServers()))) {
                producer.send(new ProducerRecord<>("kept", "k", "survives")).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        assertThat(dir).isDirectory();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(1, "kept");
            assertThat(readAll(kafka.bootstrapServers(), "kept", 1)).containsExactly("survives");
        }
    }

    @Test
    void closeDeletesATemporaryDataDir() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(null, 0);
        Path dataDir;
        try (Admin admin = admin(kafka.bootstrapServers())) {
            String logDirs =
                    admin.describeConfigs(
                                    Set.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                            .all()
                            .get()
                            .values()
                            .iterator()
                            .next()
                            .get("log.dirs")
                            .value();
            dataDir = Path.of(logDirs).getParent();
        }
        assertThat(dataDir).isDirectory();

        kafka.close();

        assertThat(Files.exists(dataDir)).isFalse();
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        Properties props = producerProps(KAFKA.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(props);
    }

    private static Properties producerProps(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Reads a one-partition topic from the start until {@code expected} records or a deadline. */
    private static List<String> readAll(String bootstrapServers, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
