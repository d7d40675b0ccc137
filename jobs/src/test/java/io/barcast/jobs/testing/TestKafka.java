package io.barcast.jobs.testing;

import io.barcast.jobs.local.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kafka broker of its own for one test class, with helpers to write and read string records.
 *
 * <pre>{@code @RegisterExtension static final TestKafka KAFKA = new TestKafka();}</pre>
 */
public final class TestKafka implements BeforeAllCallback, AfterAllCallback {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private EmbeddedKafka kafka;
    private KafkaProducer<String, String> producer;
    private int openCount;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        // Nested test classes share their outer class's broker.
        if (openCount++ == 0) {
            kafka = EmbeddedKafka.start(null, 0);
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (openCount == 0 || --openCount > 0) {
            return;
        }
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        } finally {
            producer = null;
            kafka.close();
            kafka = null;
        }
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** Creates topics (existing ones are fine) and waits until they can be used. */
    public void createTopics(int partitions, String... names) {
        kafka().createTopics(partitions, names);
    }

    /** Writes one record and waits until the broker has it. */
    public void produce(String topic, String key, String value) {
        produce(topic, List.of(new ProducerRecord<>(topic, key, value)));
    }

    /** Writes records in order, as key and value pairs, and waits until the broker has them. */
    public void produce(String topic, Collection<? extends Map.Entry<String, String>> records) {
        List<ProducerRecord<String, String>> batch = new ArrayList<>();
        for (Map.Entry<String, String> record : records) {
            batch.add(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
        }
        produce(topic, batch);
    }

    private void produce(String topic, List<ProducerRecord<String, String>> batch) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<String, String> record : batch) {
            sent.add(producer().send(record));
        }
        producer().flush();
        try {
            for (Future<RecordMetadata> result : sent) {
                result.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Producing to " + topic + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing to " + topic, e);
        }
    }

    /**
     * Reads a topic from the beginning until at least {@code atLeast} records arrived or the
     * timeout passed, then briefly on, so that records beyond the expected ones are returned too
     * and a test can assert there are none. Never fails on too few records: the caller asserts.
     *
     * @param readCommitted true to see only committed transactional records, as barcast's readers
     *     do; false to see aborted and open ones as well
     * @see TopicReader
     */
    public List<ConsumerRecord<String, String>> consume(
            String topic, boolean readCommitted, int atLeast, Duration timeout) {
        return new TopicReader(bootstrapServers()).read(topic, readCommitted, atLeast, timeout);
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException(
                    "The test broker is not running: register TestKafka on a static field with"
                            + " @RegisterExtension");
        }
        return kafka;
    }
}
