package io.barcast.api.stream;

import io.barcast.api.ApiService;
import io.barcast.api.ApiTopics;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.push.CommittedConsumers;
import io.barcast.api.push.EventKind;
import io.barcast.core.DaemonThreads;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live streams of one API instance: a single reader of the four stream topics, read as
 * committed ({@code read_committed}) with no consumer group, assigned every partition and starting
 * at their end (a partition that appears later, from its beginning), fans each record out to the
 * clients of its kind. Clients are registered under the same lock the fan-out holds, so a client
 * that registers gets exactly the events after the position it was given. A client that resumes is
 * caught up by a short-lived reader of its own ({@link CatchUp}).
 */
public final class StreamHub implements ApiService {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** How often the topics' partitions are looked up: often until all four exist. */
    private static final Duration DISCOVER_MISSING = Duration.ofSeconds(1);

    private static final Duration DISCOVER_ALL = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Admin admin;
    private final StreamSettings settings;
    private final Map<String, EventKind> kindOfTopic = new HashMap<>();
    private final Map<EventKind, String> topicOfKind = new EnumMap<>(EventKind.class);
    private final StreamMetrics metrics;
    private final Function<Set<String>, Set<String>> revokedAmong;

    /** Held while an event is fanned out and while a client registers. */
    private final Object fanOut = new Object();

    /** Guarded by fanOut: where the reader is in each topic. */
    private final Map<EventKind, StreamPosition> positions = new EnumMap<>(EventKind.class);

    private final Map<EventKind, List<StreamClient>> clients = new EnumMap<>(EventKind.class);
    private final Set<StreamClient> connected = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();

    private final ExecutorService writers;
    private final ExecutorService catchUps;
    private final ScheduledExecutorService timers;
    private Thread reader;
    private KafkaConsumer<String, String> consumer;
    private volatile boolean running;

    public StreamHub(
            String bootstrapServers,
            Admin admin,
            ApiTopics topics,
            StreamSettings settings,
            PrometheusRegistry registry,
            Function<Set<String>, Set<String>> revokedAmong) {
        this.bootstrapServers = bootstrapServers;
        this.revokedAmong = revokedAmong;
        this.admin = admin;
        this.settings = settings;
        for (EventKind kind : StreamKinds.ALL) {
            kindOfTopic.put(kind.topic(topics), kind);
            topicOfKind.put(kind, kind.topic(topics));
            positions.put(kind, StreamPosition.none());
            clients.put(kind, new CopyOnWriteArrayList<>());
        }
        this.metrics = new StreamMetrics(registry, () -> connected);
        int cores = Runtime.getRuntime().availableProcessors();
        this.writers =
                Executors.newFixedThreadPool(
                        Math.max(2, cores), DaemonThreads.numbered("barcast-stream-writer"));
        this.catchUps =
                Executors.newFixedThreadPool(
                        Math.max(2, cores), DaemonThreads.numbered("barcast-stream-catch-up"));
        this.timers =
                Executors.newSingleThreadScheduledExecutor(
                        DaemonThreads.numbered("barcast-stream-timer"));
    }

    StreamSettings settings() {
        return settings;
    }

    StreamMetrics metrics() {
        return metrics;
    }

    ExecutorService writers() {
        return writers;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    String topic(EventKind kind) {
        return topicOfKind.get(kind);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Takes one of the instance's client places; false when all {@code maxClients} are taken. */
    boolean admit() {
        while (true) {
            int now = admitted.get();
            if (now >= settings.maxClients()) {
                return false;
            }
            if (admitted.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #admit()} that no client used. */
    void release() {
        admitted.decrementAndGet();
    }

    /** Whether another client would be admitted now. */
    boolean full() {
        return admitted.get() >= settings.maxClients();
    }

    /**
     * Registers an admitted client for {@code kinds}; returns the position of each kind at that
     * moment: the client gets every event fanned out after it.
     */
    Map<EventKind, StreamPosition> register(StreamClient client, Collection<EventKind> kinds) {
        synchronized (fanOut) {
            Map<EventKind, StreamPosition> at = new EnumMap<>(EventKind.class);
            for (EventKind kind : kinds) {
                clients.get(kind).add(client);
                at.put(kind, positions.get(kind));
            }
            connected.add(client);
            client.registered(at);
            return at;
        }
    }

    /** A client's connection ended: it leaves and its place is free again. */
    void unregister(StreamClient client) {
        if (connected.remove(client)) {
            for (List<StreamClient> ofKind : clients.values()) {
                ofKind.remove(client);
            }
            admitted.decrementAndGet();
        }
    }

    /** Every connected client (for the metrics and the key check of open streams). */
    Collection<StreamClient> connected() {
        return connected;
    }

    /** Catches a resuming client up from {@code from} to {@code until}, then lets it go live. */
    void catchUp(SseClient client, StreamPosition from, StreamPosition until) {
        catchUps.execute(new CatchUp(this, client, from, until));
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        consumer =
                CommittedConsumers.create(
                        bootstrapServers,
                        "barcast-api-streams-" + UUID.randomUUID(),
                        null,
                        "latest");
        reader = DaemonThreads.start("barcast-stream-reader", this::read);
        long beat = settings.heartbeat().toMillis();
        timers.scheduleAtFixedRate(this::heartbeats, beat, beat, TimeUnit.MILLISECONDS);
        // an open stream of a key revoked since ends within the time a key check remembers keys
        long check = KeyCheck.REMEMBER.toMillis();
        timers.scheduleWithFixedDelay(this::dropRevoked, check, check, TimeUnit.MILLISECONDS);
    }

    private void heartbeats() {
        for (StreamClient client : connected) {
            client.heartbeat();
        }
    }

    /** Ends the streams of keys revoked since they opened. */
    private void dropRevoked() {
        Set<String> keyIds = new HashSet<>();
        for (StreamClient client : connected) {
            keyIds.add(client.keyId());
        }
        if (keyIds.isEmpty()) {
            return;
        }
        Set<String> revoked = revokedAmong.apply(keyIds);
        for (StreamClient client : connected) {
            if (revoked.contains(client.keyId())) {
                client.drop("revoked", "the API key " + client.keyId() + " was revoked");
            }
        }
    }

    private void read() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextLookup = 0;
        boolean first = true;
        try {
            while (running) {
                if (System.nanoTime() - nextLookup >= 0) {
                    boolean all = discover(assigned, first);
                    first = false;
                    nextLookup =
                            System.nanoTime() + (all ? DISCOVER_ALL : DISCOVER_MISSING).toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                ConsumerRecords<String, String> records = consumer.poll(POLL);
                for (ConsumerRecord<String, String> record : records) {
                    fanOut(record);
                }
                // past transaction markers too, so that a new client's position is current
                for (TopicPartition partition : records.partitions()) {
                    advance(partition, consumer.position(partition));
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("The stream reader stopped; streams get no more events", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Assigns the partitions of the stream topics that exist; partitions new since the last look
     * are read from their beginning, those there at start-up from their end. Returns whether all
     * four topics exist.
     */
    private boolean discover(Set<TopicPartition> assigned, boolean atStart) {
        Map<String, TopicDescription> found = new HashMap<>();
        for (String topic : kindOfTopic.keySet()) {
            try {
                found.put(
                        topic,
                        admin.describeTopics(List.of(topic))
                                .topicNameValues()
                                .get(topic)
                                .get(3, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                // not there (yet), or the broker does not answer: look again soon
            }
        }
        List<TopicPartition> added = new ArrayList<>();
        for (TopicDescription description : found.values()) {
            description
                    .partitions()
                    .forEach(
                            info -> {
                                TopicPartition partition =
                                        new TopicPartition(description.name(), info.partition());
                                if (!assigned.contains(partition)) {
                                    added.add(partition);
                                }
                            });
        }
        if (!added.isEmpty()) {
            assigned.addAll(added);
            consumer.assign(assigned);
            if (atStart) {
                consumer.seekToEnd(added);
            } else {
                consumer.seekToBeginning(added);
            }
            for (TopicPartition partition : added) {
                advance(partition, consumer.position(partition));
            }
            LOG.info("Streaming {} more partitions of {}", added.size(), found.keySet());
        }
        return found.size() == kindOfTopic.size();
    }

    private void advance(TopicPartition partition, long next) {
        EventKind kind = kindOfTopic.get(partition.topic());
        synchronized (fanOut) {
            StreamPosition now = positions.get(kind);
            if (now.next(partition.partition()) < next) {
                positions.put(kind, now.with(partition.partition(), next));
            }
        }
    }

    private void fanOut(ConsumerRecord<String, String> record) {
        EventKind kind = kindOfTopic.get(record.topic());
        String symbol = Records.symbolOf(record);
        synchronized (fanOut) {
            StreamPosition after =
                    positions.get(kind).with(record.partition(), record.offset() + 1);
            positions.put(kind, after);
            StreamEvent event =
                    new StreamEvent(
                            kind,
                            record.partition(),
                            record.offset(),
                            symbol,
                            record.value(),
                            after);
            for (StreamClient client : clients.get(kind)) {
                client.deliver(event);
            }
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (StreamClient client : connected) {
            client.gone();
        }
        timers.shutdownNow();
        catchUps.shutdownNow();
        writers.shutdownNow();
    }
}
