package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.barcast.api.ApiServer;
import io.barcast.api.ApiTopics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the stream tests share: topic names, a transactional producer, the reader's readiness. */
final class StreamFixtures {

    private StreamFixtures() {}

    /** The job's topic names under {@code prefix}, as {@code PipelineTestSupport} names them. */
    static ApiTopics topics(String prefix) {
        return new ApiTopics(
                prefix + ".predictions",
                prefix + ".recommendations",
                prefix + ".validations",
                prefix + ".alerts",
                prefix + ".trade-outcomes",
                prefix + ".retrain-requests");
    }

    /** A producer that writes in transactions, as the job does. */
    static KafkaProducer<String, String> transactional(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stream-test-" + UUID.randomUUID());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    /** Writes records (topic, key, value triples) in one transaction, committed or aborted. */
    static void inTransaction(
            KafkaProducer<String, String> producer, boolean commit, String... topicKeyValue) {
        producer.beginTransaction();
        for (int i = 0; i < topicKeyValue.length; i += 3) {
            producer.send(
                    new ProducerRecord<>(
                            topicKeyValue[i], topicKeyValue[i + 1], topicKeyValue[i + 2]));
        }
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    /** A record as the job writes it: JSON with its symbol. */
    static String record(String symbol, String tag) {
        return "{\"symbol\":\"" + symbol + "\",\"tag\":\"" + tag + "\",\"asOf\":1700000000000}";
    }

    /**
     * Waits until the server's reader has the stream topics assigned (a stream's ready event names
     * their partitions), so that what a test commits next is streamed.
     */
    static void awaitReader(ApiServer server, String key, List<String> kinds) {
        for (String kind : kinds) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(
                            () -> {
                                try (SseTestClient probe =
                                        SseTestClient.open(
                                                server.url() + "/api/v1/stream/" + kind,
                                                "X-API-Key",
                                                key)) {
                                    await().atMost(Duration.ofSeconds(5))
                                            .until(() -> !probe.events("ready").isEmpty());
                                    assertThat(probe.events("ready").get(0).id())
                                            .as("the reader assigned the topic's partitions")
                                            .matches("[a-z]+:0-\\d+.*");
                                }
                            });
        }
    }
}
