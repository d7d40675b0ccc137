package io.barcast.api.stream;

import io.barcast.api.push.CommittedConsumers;
import io.barcast.api.push.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a resuming client from the position of its {@code Last-Event-ID} to where the live fan-out
 * was when it registered: a reader of its own ({@code read_committed}, no group) reads each
 * partition from the client's offset up to the live one, sends what the client asked for under ids
 * of its own progress, then hands over to the live events the client buffered meanwhile. A
 * partition the client's position does not name is read from its beginning.
 */
final class CatchUp implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    /** How long a catch-up may go without progress (the broker is away). */
    private static final Duration STALL = Duration.ofSeconds(30);

    private final StreamHub hub;
    private final SseClient client;
    private final StreamPosition from;
    private final StreamPosition until;

    CatchUp(StreamHub hub, SseClient client, StreamPosition from, StreamPosition until) {
        this.hub = hub;
        this.client = client;
        this.from = from;
        this.until = until;
    }

    @Override
    public void run() {
        EventKind kind = client.kind();
        String topic = hub.topic(kind);
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int p = 0; p < until.width(); p++) {
            long end = until.next(p);
            if (end > 0 && from.next(p) < end) {
                ends.put(new TopicPartition(topic, p), end);
            }
        }
        StreamPosition progress = from;
        if (ends.isEmpty()) {
            client.caughtUp(progress);
            return;
        }
        try (KafkaConsumer<String, String> consumer =
                CommittedConsumers.create(
                        hub.bootstrapServers(), "barcast-api-catch-up", null, "earliest")) {
            consumer.assign(ends.keySet());
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition partition : ends.keySet()) {
                long start = from.next(partition.partition());
                if (start < 0) {
                    fromStart.add(partition);
                } else {
                    consumer.seek(partition, start);
                }
            }
            if (!fromStart.isEmpty()) {
                // an empty list would mean every assigned partition
                consumer.seekToBeginning(fromStart);
            }
            long lastProgress = System.nanoTime();
            while (!ends.isEmpty() && !client.ending()) {
                if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    client.drop("catch_up", "the stream could not be resumed; reconnect");
                    return;
                }
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    long end = ends.getOrDefault(partitionOf(record), -1L);
                    if (record.offset() >= end) {
                        continue; // the live events have it
                    }
                    progress = progress.with(record.partition(), record.offset() + 1);
                    lastProgress = System.nanoTime();
                    String symbol = Records.symbolOf(record);
                    if (client.wants(symbol)) {
                        StreamEvent event =
                                new StreamEvent(
                                        kind,
                                        record.partition(),
                                        record.offset(),
                                        symbol,
                                        record.value(),
                                        progress);
                        if (!client.sendCaughtUp(event, STALL)) {
                            return;
                        }
                    }
                }
                for (TopicPartition partition : new ArrayList<>(ends.keySet())) {
                    if (consumer.position(partition) >= ends.get(partition)) {
                        progress = progress.with(partition.partition(), ends.get(partition));
                        ends.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
            }
            client.caughtUp(progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.gone();
        } catch (RuntimeException e) {
            LOG.warn("Resuming a {} stream failed", kind.label(), e);
            client.drop("catch_up", "the stream could not be resumed; reconnect");
        }
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
