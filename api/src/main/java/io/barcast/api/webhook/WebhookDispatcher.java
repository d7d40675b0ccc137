package io.barcast.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiService;
import io.barcast.api.ApiTopics;
import io.barcast.api.push.CommittedConsumers;
import io.barcast.api.push.EventKind;
import io.barcast.core.DaemonThreads;
import io.barcast.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the job's committed records into deliveries: reads the result topics in the consumer group
 * {@value #GROUP} ({@code read_committed}, so an aborted transaction is never delivered), matches
 * each batch of records against the enabled webhooks as they are when it arrives, inserts one
 * delivery per (webhook, record) with an id made from both, and commits the offsets only once those
 * rows are committed. A crash between the two reads the records again and inserts nothing new. The
 * group shares the topics' partitions among the API instances.
 */
public final class WebhookDispatcher implements ApiService {

    public static final String GROUP = "barcast-webhooks";

    /** How often the enabled webhooks are read again while no record comes (for the gauge). */
    static final Duration REFRESH = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String bootstrapServers;
    private final Map<String, EventKind> kindOfTopic = new LinkedHashMap<>();
    private final WebhookStore webhooks;
    private final DeliveryStore deliveries;
    private final WebhookMetrics metrics;
    private final Runnable added;
    private final ObjectMapper json = Json.newMapper();

    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;
    private List<WebhookFilter> filters = List.of();
    private long filtersReadAt = Long.MIN_VALUE;

    /**
     * @param added called after deliveries were added, so the senders look now
     */
    public WebhookDispatcher(
            String bootstrapServers,
            ApiTopics topics,
            DataSource db,
            WebhookMetrics metrics,
            Runnable added) {
        this.bootstrapServers = bootstrapServers;
        for (EventKind kind : EventKind.values()) {
            // predictions carry both prediction and model_update: read once, as predictions
            kindOfTopic.putIfAbsent(kind.topic(topics), kind);
        }
        this.webhooks = new WebhookStore(db);
        this.deliveries = new DeliveryStore(db);
        this.metrics = metrics;
        this.added = added;
    }

    @Override
    public void start() {
        running = true;
        thread = DaemonThreads.start("barcast-webhook-dispatcher", this::run);
    }

    private void run() {
        try (KafkaConsumer<String, String> kafka =
                CommittedConsumers.create(
                        bootstrapServers,
                        "barcast-webhooks-" + UUID.randomUUID(),
                        GROUP,
                        "latest")) {
            consumer = kafka;
            if (!running) {
                return;
            }
            kafka.subscribe(kindOfTopic.keySet(), new StartWhereItIs(kafka));
            while (running) {
                ConsumerRecords<String, String> records = kafka.poll(POLL);
                // records are matched against the webhooks as they are now, so a webhook
                // created before a record was committed gets it, and a disabled one does not;
                // while idle the list is read now and then, for the gauge
                refreshFilters(!records.isEmpty());
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    dispatch(records);
                    kafka.commitSync(next(records));
                } catch (SQLException | RuntimeException e) {
                    if (e instanceof WakeupException wakeup) {
                        throw wakeup;
                    }
                    // nothing committed: read the same records again once the database is back
                    LOG.warn(
                            "cannot add webhook deliveries; reading the records again in {}: {}",
                            RETRY,
                            e.toString());
                    for (TopicPartition partition : records.partitions()) {
                        kafka.seek(partition, records.records(partition).get(0).offset());
                    }
                    Thread.sleep(RETRY.toMillis());
                    refreshFilters(true);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the webhook dispatcher stopped", e);
        }
    }

    private void dispatch(ConsumerRecords<String, String> records) throws SQLException {
        List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
        Map<String, Integer> byType = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            EventKind kind = kindOfTopic.get(record.topic());
            if (kind == null || record.value() == null || filters.isEmpty()) {
                continue;
            }
            JsonNode data;
            try {
                data = json.readTree(record.value());
            } catch (Exception e) {
                LOG.warn(
                        "a record of {} partition {} offset {} is not JSON; not delivered",
                        record.topic(),
                        record.partition(),
                        record.offset());
                continue;
            }
            if (data == null || !data.isObject()) {
                continue;
            }
            Instant at = Instant.ofEpochMilli(record.timestamp());
            for (WebhookFilter filter : filters) {
                EventKind type = filter.typeOf(kind, data);
                if (type != null) {
                    rows.add(
                            new DeliveryStore.NewDelivery(
                                    deliveryId(filter.webhookId(), record),
                                    filter.webhookId(),
                                    type.label(),
                                    payload(type.label(), at, record.value()),
                                    at));
                    byType.merge(type.label(), 1, Integer::sum);
                }
            }
        }
        if (!rows.isEmpty()) {
            deliveries.insert(rows);
            byType.forEach((type, count) -> metrics.dispatched.labelValues(type).inc(count));
            added.run();
        }
    }

    /**
     * The body every attempt sends: the Standard Webhooks envelope around the record exactly as the
     * job committed it.
     */
    static String payload(String type, Instant at, String data) {
        return "{\"type\":\"" + type + "\",\"timestamp\":\"" + at + "\",\"data\":" + data + "}";
    }

    /**
     * The same for the same record and webhook, whenever it is read: topic, partition, offset and
     * the record's time (so a topic made again from scratch does not repeat old ids).
     */
    static UUID deliveryId(UUID webhook, ConsumerRecord<?, ?> record) {
        String key =
                String.join(
                        "\u0000",
                        webhook.toString(),
                        record.topic(),
                        Integer.toString(record.partition()),
                        Long.toString(record.offset()),
                        Long.toString(record.timestamp()));
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private void refreshFilters(boolean now) {
        long at = System.nanoTime();
        if (!now && filtersReadAt != Long.MIN_VALUE && at - filtersReadAt < REFRESH.toNanos()) {
            return;
        }
        try {
            filters = webhooks.enabledFilters();
            filtersReadAt = at;
            metrics.endpoints.set(filters.size());
        } catch (SQLException | RuntimeException e) {
            // keep matching with what was read last; dispatch fails too while the database is down
            LOG.warn("cannot read the enabled webhooks: {}", e.toString());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> next(
            ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> of = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /**
     * A partition the group has never read starts at its end (events before the first start are not
     * pushed); that position is committed at once, so an instance that dies before its first
     * delivery does not skip what came meanwhile.
     */
    private static final class StartWhereItIs implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, String> kafka;

        StartWhereItIs(KafkaConsumer<String, String> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed =
                    kafka.committed(new HashSet<>(partitions));
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            for (TopicPartition partition : partitions) {
                if (committed.get(partition) == null) {
                    start.put(partition, new OffsetAndMetadata(kafka.position(partition)));
                }
            }
            if (!start.isEmpty()) {
                kafka.commitSync(start);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, String> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
