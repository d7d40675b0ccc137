package io.barcast.jobs.testing;

import io.barcast.jobs.local.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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

    /** How long reading goes on, once enough records arrived, to pick up any that follow. */
    private static final Duration DRAIN = Duration.ofMillis(500);

    /** How much longer reading may go on, past the timeout, to read what the topic holds. */
    private static final Duration CATCH_UP = Duration.ofSeconds(10);

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private static final long ONE_SECOND_NANOS = Duration.ofSeconds(1).toNanos();

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
     */
    public List<ConsumerRecord<String, String>> consume(
            String topic, boolean readCommitted, int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = newConsumer(readCommitted)) {
            // Assigning every partition rather than subscribing skips the group rebalance.
            List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(pollTimeout(deadline)).forEach(records::add);
            }
            // Then on for a moment, and at any rate up to what the topic holds now, within bounds.
            long drainUntil = System.nanoTime() + DRAIN.toNanos();
            long catchUpUntil = Math.max(deadline, drainUntil) + CATCH_UP.toNanos();
            while (System.nanoTime() < drainUntil
                    || (System.nanoTime() < catchUpUntil && !caughtUp(consumer, partitions))) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<TopicPartition> awaitPartitions(
            KafkaConsumer<String, String> consumer, String topic, long deadline) {
        while (true) {
            long left = Math.max(deadline - System.nanoTime(), 0);
            try {
                List<PartitionInfo> infos =
                        consumer.partitionsFor(
                                topic, Duration.ofNanos(Math.min(left, ONE_SECOND_NANOS)));
                if (infos != null && !infos.isEmpty()) {
                    List<TopicPartition> partitions = new ArrayList<>();
                    for (PartitionInfo info : infos) {
                        partitions.add(new TopicPartition(topic, info.partition()));
                    }
                    return partitions;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // The broker has not answered yet: ask again until the deadline.
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException(
                        "Topic " + topic + " does not exist: create it with createTopics");
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Whether every partition was read up to its end (for read_committed, its stable end). */
    private static boolean caughtUp(
            KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.get(partition)) {
                return false;
            }
        }
        return true;
    }

    private static Duration pollTimeout(long deadline) {
        long left = deadline - System.nanoTime();
        return Duration.ofNanos(Math.max(Math.min(left, Duration.ofMillis(100).toNanos()), 0));
    }

    private KafkaConsumer<String, String> newConsumer(boolean readCommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                (readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED)
                        .toString());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(props);
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
