package io.barcast.jobs.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whole topics of string records from any broker, e.g. one a test stops and starts itself;
 * {@link TestKafka#consume} reads its own broker with it.
 */
public final class TopicReader {

    /** How long reading goes on, once enough records arrived, to pick up any that follow. */
    private static final Duration DRAIN = Duration.ofMillis(500);

    /** How much longer reading may go on, past the timeout, to read what the topic holds. */
    private static final Duration CATCH_UP = Duration.ofSeconds(10);

    private static final long ONE_SECOND_NANOS = Duration.ofSeconds(1).toNanos();

    private final String bootstrapServers;

    public TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Reads a topic from the beginning until at least {@code atLeast} records arrived or the
     * timeout passed, then briefly on, so that records beyond the expected ones are returned too
     * and a test can assert there are none. Never fails on too few records: the caller asserts.
     *
     * @param readCommitted true to see only committed transactional records, as barcast's readers
     *     do; false to see aborted and open ones as well
     */
    public List<ConsumerRecord<String, String>> read(
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
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
}
