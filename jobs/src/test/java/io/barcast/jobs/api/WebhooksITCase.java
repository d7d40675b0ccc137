package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.ApiTopics;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.webhook.WebhookDispatcher;
import io.barcast.api.webhook.WebhookSettings;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks end to end: records committed to real topics reach local HTTP receivers signed as the
 * Standard Webhooks specification says (checked by the receiver's own implementation), with the
 * types and filters applied, retried, throttled, disabled, and none lost when the dispatcher stops
 * mid-backlog. The API's answers are checked against the OpenAPI document.
 */
class WebhooksITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiTopics TOPICS =
            new ApiTopics(
                    "wh.predictions",
                    "wh.recommendations",
                    "wh.validations",
                    "wh.alerts",
                    "wh.trade-outcomes",
                    "wh.retrain-requests");
    private static final int PARTITIONS = 2;

    private static ApiSettings settings;
    private static ApiServer server;
    private static ApiClient owner;
    private static ApiClient other;
    private static ApiClient admin;
    private static OpenApiContract contract;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception {
        KAFKA.createTopics(
                PARTITIONS,
                TOPICS.predictions(),
                TOPICS.recommendations(),
                TOPICS.validations(),
                TOPICS.alerts(),
                TOPICS.tradeOutcomes(),
                TOPICS.retrainRequests());
        settings =
                TestApiSettings.of(DB, KAFKA.bootstrapServers()).toBuilder()
                        .topics(TOPICS)
                        .webhooks(
                                new WebhookSettings(
                                        List.of("127.0.0.1"),
                                        Duration.ofSeconds(2),
                                        6,
                                        Duration.ofSeconds(4),
                                        4,
                                        5,
                                        Duration.ofDays(7),
                                        Duration.ofMillis(150)))
                        .build();
        server = new ApiServer(settings).start();
        ApiKeys keys = new ApiKeys(server.context().db());
        ApiClient plain = new ApiClient(server.url(), keys.create("bot", Tier.DEFAULT).secret());
        contract = OpenApiContract.served(plain);
        owner = plain.validating(contract);
        other = owner.withKey(keys.create("other", Tier.PREMIUM).secret());
        admin = owner.withKey(keys.create("ops", Tier.ADMIN).secret());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "webhooks-test");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        awaitDispatcherReady();
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The dispatcher has a committed start on every partition: nothing produced now is missed. */
    private static void awaitDispatcherReady() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (Admin kafkaAdmin = Admin.create(props)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                Map<TopicPartition, OffsetAndMetadata> offsets =
                                        kafkaAdmin
                                                .listConsumerGroupOffsets(WebhookDispatcher.GROUP)
                                                .partitionsToOffsetAndMetadata()
                                                .get();
                                return offsets.size() == 6 * PARTITIONS;
                            });
        }
    }

    @Test
    void crudOwnershipAndTheSecretShownOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            ApiClient.Response created =
                    owner.post(
                            "/api/v1/webhooks",
                            "{\"url\": \""
                                    + receiver.url()
                                    + "\", \"event_types\": [\"prediction\", \"alert\"],"
                                    + " \"symbols\": [\"x:ethusd\"], \"min_confidence\": 0.5,"
                                    + " \"description\": \"bot\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String secret = created.json().get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
            String id = created.json().get("webhook_id").asText();
            assertThat(created.json().get("symbols").get(0).asText()).isEqualTo("X:ETHUSD");
            assertThat(created.header("Location")).isEqualTo("/api/v1/webhooks/" + id);

            ApiClient.Response read = owner.get("/api/v1/webhooks/" + id);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().has("secret")).isFalse();
            assertThat(read.body()).doesNotContain(secret);
            ApiClient.Response list = owner.get("/api/v1/webhooks?limit=500");
            assertThat(list.body()).contains(id).doesNotContain(secret);
            assertThat(admin.get("/api/v1/webhooks/" + id).status()).isEqualTo(200);
            assertThat(admin.get("/api/v1/webhooks?limit=500").body()).contains(id);

            // another key (premium, even) does not see it
            assertThat(other.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
            assertThat(other.get("/api/v1/webhooks?limit=500").body()).doesNotContain(id);
            assertThat(patch(other, id, "{\"enabled\": false}").status()).isEqualTo(404);
            assertThat(other.post("/api/v1/webhooks/" + id + "/test", "").status()).isEqualTo(404);
            assertThat(other.get("/api/v1/webhooks/" + id + "/deliveries").status()).isEqualTo(404);
            assertThat(delete(other, id).status()).isEqualTo(404);

            ApiClient.Response changed =
                    patch(owner, id, "{\"min_confidence\": 0.7, \"description\": \"changed\"}");
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
            assertThat(changed.json().get("min_confidence").asDouble()).isEqualTo(0.7);
            assertThat(changed.json().get("event_types").toString())
                    .isEqualTo("[\"prediction\",\"alert\"]");
            assertThat(changed.json().has("secret")).isFalse();

            // the test event goes the normal way, and the deliveries listing shows it
            receiver.secret(secret);
            ApiClient.Response test = owner.post("/api/v1/webhooks/" + id + "/test", "");
            assertThat(test.status()).as(test.toString()).isEqualTo(202);
            String messageId = test.json().get("message_id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
            assertThat(receiver.received().get(0).id()).isEqualTo(messageId);
            assertThat(receiver.received().get(0).type()).isEqualTo("test");
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    owner.get("/api/v1/webhooks/" + id + "/deliveries")
                                            .json()
                                            .at("/items/0/state")
                                            .asText()
                                            .equals("delivered"));
            JsonNode delivery =
                    owner.get("/api/v1/webhooks/" + id + "/deliveries?state=delivered")
                            .json()
                            .at("/items/0");
            assertThat(delivery.get("message_id").asText()).isEqualTo(messageId);
            assertThat(delivery.get("event_type").asText()).isEqualTo("test");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.get("last_status").asInt()).isEqualTo(204);
            assertThat(delivery.toString()).doesNotContain(secret);

            assertThat(delete(owner, id).status()).isEqualTo(204);
            assertThat(owner.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void badWebhooksAreRefusedNamingTheField() {
        String url = "http://127.0.0.1:9/hook";
        assertBad("{\"event_types\": [\"prediction\"]}", "url");
        assertBad("{\"url\": \"http://10.1.2.3/x\", \"event_types\": [\"alert\"]}", "url");
        assertBad("{\"url\": \"http://169.254.169.254/\", \"event_types\": [\"alert\"]}", "url");
        assertBad("{\"url\": \"http://localhost:8080/\", \"event_types\": [\"alert\"]}", "url");
        assertBad("{\"url\": \"ftp://127.0.0.1/\", \"event_types\": [\"alert\"]}", "url");
        assertBad("{\"url\": \"http://u:p@127.0.0.1/\", \"event_types\": [\"alert\"]}", "url");
        assertBad("{\"url\": \"" + url + "\"}", "event_types");
        assertBad("{\"url\": \"" + url + "\", \"event_types\": []}", "event_types");
        assertBad(
                "{\"url\": \"" + url + "\", \"event_types\": [\"alert\", \"nonsense\"]}",
                "event_types[1]");
        assertBad(
                "{\"url\": \"" + url + "\", \"event_types\": [\"alert\"], \"min_confidence\": 2}",
                "min_confidence");
        assertBad(
                "{\"url\": \"" + url + "\", \"event_types\": [\"alert\"], \"min_severity\": \"x\"}",
                "min_severity");
        assertBad(
                "{\"url\": \"" + url + "\", \"event_types\": [\"alert\"], \"symbols\": [\"A\", 5]}",
                "symbols[1]");
        assertBad(
                "{\"url\": \"" + url + "\", \"event_types\": [\"alert\"], \"secret\": \"x\"}",
                "secret");
        assertBad("{\"url\": 5, \"event_types\": [\"alert\"]}", "url");
    }

    @Test
    void aKeyMayHaveOnlySoManyWebhooks() throws Exception {
        ApiKeys keys = new ApiKeys(server.context().db());
        ApiClient limited = owner.withKey(keys.create("many", Tier.DEFAULT).secret());
        String body = "{\"url\": \"http://127.0.0.1:9/\", \"event_types\": [\"alert\"]}";
        for (int i = 0; i < settings.webhooks().maxPerKey(); i++) {
            assertThat(limited.post("/api/v1/webhooks", body).status()).isEqualTo(201);
        }
        ApiClient.Response refused = limited.post("/api/v1/webhooks", body);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("api.webhooks.max-per-key");
        DB.execute(
                "DELETE FROM webhooks WHERE key_id IN (SELECT key_id FROM api_keys WHERE name = 'many')");
    }

    @Test
    void committedRecordsReachTheReceiverSignedWithTypesAndFilters() throws Exception {
        try (WebhookReceiver alerts = new WebhookReceiver();
                WebhookReceiver trades = new WebhookReceiver()) {
            String a =
                    create(
                            alerts,
                            "\"event_types\": [\"prediction\", \"model_update\", \"alert\"],"
                                    + " \"symbols\": [\"X:ETHUSD\"], \"min_confidence\": 0.6,"
                                    + " \"min_severity\": \"warning\"");
            String b =
                    create(
                            trades,
                            "\"event_types\": [\"recommendation\", \"validation\","
                                    + " \"trade_outcome\", \"retrain_request\"]");
            awaitCacheHolds();

            List<ProducerRecord<String, String>> committed = new ArrayList<>();
            committed.add(prediction("p1", "X:ETHUSD", "new_bar", 0.8));
            committed.add(prediction("p2", "X:ETHUSD", "new_bar", 0.5)); // below min_confidence
            committed.add(prediction("p3", "X:BTCUSD", "new_bar", 0.9)); // another symbol
            committed.add(prediction("p4", "X:ETHUSD", "model_update", 0.7));
            committed.add(alert("a1", "X:ETHUSD", "warning"));
            committed.add(alert("a2", "X:ETHUSD", "info")); // below min_severity
            committed.add(alert("a3", "X:ETHUSD", "critical"));
            committed.add(
                    record(
                            TOPICS.recommendations(),
                            "X:ETHUSD",
                            "{\"id\":\"r1\",\"symbol\":\"X:ETHUSD\",\"side\":\"long\","
                                    + "\"confidence\":0.4,\"status\":\"active\"}"));
            committed.add(
                    record(
                            TOPICS.validations(),
                            "X:BTCUSD",
                            "{\"id\":\"v1\",\"symbol\":\"X:BTCUSD\",\"errorPercent\":0.1}"));
            committed.add(
                    record(
                            TOPICS.tradeOutcomes(),
                            "X:ETHUSD",
                            "{\"recommendationId\":\"r1\",\"symbol\":\"X:ETHUSD\","
                                    + "\"outcome\":\"target_hit\"}"));
            committed.add(
                    record(
                            TOPICS.retrainRequests(),
                            "X:ETHUSD",
                            "{\"id\":\"t1\",\"symbol\":\"X:ETHUSD\",\"skill\":-0.2}"));
            inTransaction(committed, true);
            // an aborted transaction is never read, so never delivered
            inTransaction(
                    List.of(
                            prediction("aborted", "X:ETHUSD", "new_bar", 0.99),
                            alert("aborted", "X:ETHUSD", "critical")),
                    false);
            inTransaction(
                    List.of(
                            prediction("last", "X:ETHUSD", "new_bar", 0.9),
                            alert("lastalert", "X:ETHUSD", "critical")),
                    true);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ids(alerts).containsAll(List.of("last", "lastalert")));
            await().atMost(Duration.ofSeconds(30)).until(() -> trades.received().size() >= 4);
            assertThat(typesById(alerts))
                    .isEqualTo(
                            Map.of(
                                    "p1", "prediction",
                                    "p4", "model_update",
                                    "a1", "alert",
                                    "a3", "alert",
                                    "last", "prediction",
                                    "lastalert", "alert"));
            Map<String, String> tradeTypes = new HashMap<>();
            for (WebhookReceiver.Received r : trades.received()) {
                tradeTypes.put(
                        r.data().path("symbol").asText() + "/" + r.type(), r.data().toString());
            }
            assertThat(tradeTypes.keySet())
                    .containsExactlyInAnyOrder(
                            "X:ETHUSD/recommendation",
                            "X:BTCUSD/validation",
                            "X:ETHUSD/trade_outcome",
                            "X:ETHUSD/retrain_request");
            // the record as committed, untouched: camelCase and all
            WebhookReceiver.Received p1 =
                    alerts.received().stream()
                            .filter(r -> r.data().path("id").asText().equals("p1"))
                            .findFirst()
                            .orElseThrow();
            assertThat(p1.body()).contains("\"data\":" + committed.get(0).value());
            assertThat(JSON.readTree(p1.body()).get("timestamp").asText()).endsWith("Z");
            assertThat(p1.id()).startsWith("msg_");
            // every message of the aborted transaction is absent from the table, not just late
            assertThat(
                            DB.count(
                                    "SELECT count(*) FROM webhook_deliveries WHERE webhook_id IN"
                                            + " (?, ?)",
                                    UUID.fromString(a),
                                    UUID.fromString(b)))
                    .isEqualTo(10);
            assertThat(alerts.rejected()).isZero();
            assertThat(trades.rejected()).isZero();

            // the receiver's own check refuses a replay outside the tolerance and a changed body
            WebhookReceiver.Received sent = alerts.received().get(0);
            long old = System.currentTimeMillis() / 1000 - 600;
            String secret = secretOf(a);
            String oldSignature =
                    "v1,"
                            + Base64.getEncoder()
                                    .encodeToString(
                                            WebhookReceiver.hmac(
                                                    secret,
                                                    sent.id() + "." + old + "." + sent.body()));
            assertThat(
                            WebhookReceiver.verify(
                                    secret,
                                    sent.id(),
                                    Long.toString(old),
                                    oldSignature,
                                    sent.body(),
                                    System.currentTimeMillis()))
                    .isFalse();
            assertThat(
                            WebhookReceiver.verify(
                                    secret,
                                    sent.id(),
                                    Long.toString(old),
                                    oldSignature,
                                    sent.body(),
                                    old * 1000))
                    .isTrue();
            assertThat(
                            WebhookReceiver.verify(
                                    secret,
                                    sent.id(),
                                    Long.toString(old),
                                    oldSignature,
                                    sent.body().replace("X:ETHUSD", "X:BTCUSD"),
                                    old * 1000))
                    .isFalse();

            String metrics = owner.get("/metrics").body();
            assertThat(metrics)
                    .contains("barcast_webhook_deliveries_total{outcome=\"delivered\"}")
                    .contains("barcast_webhook_attempt_duration_seconds")
                    .contains("barcast_webhook_backlog")
                    .doesNotContain(secret);
        }
    }

    @Test
    void failuresAreRetriedWithGrowingGapsAndTheSameIdThenGoneDisables() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answers(n -> WebhookReceiver.Answer.of(n <= 3 ? 500 : 200));
            String id = create(receiver, "\"event_types\": [\"alert\"]");
            String messageId =
                    owner.post("/api/v1/webhooks/" + id + "/test", "")
                            .json()
                            .get("message_id")
                            .asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 4);
            List<WebhookReceiver.Received> tries = receiver.received();
            assertThat(tries).extracting(WebhookReceiver.Received::id).containsOnly(messageId);
            long gap1 = tries.get(1).arrivedNanos() - tries.get(0).arrivedNanos();
            long gap2 = tries.get(2).arrivedNanos() - tries.get(1).arrivedNanos();
            long gap3 = tries.get(3).arrivedNanos() - tries.get(2).arrivedNanos();
            assertThat(gap2).isGreaterThan(gap1);
            assertThat(gap3).isGreaterThan(gap2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> delivery(id).path("state").asText().equals("delivered"));
            assertThat(delivery(id).get("attempts").asInt()).isEqualTo(4);
            assertThat(webhook(id).get("failing_since").isNull()).isTrue();

            // 410: disabled at once, and events stop
            receiver.answers(n -> WebhookReceiver.Answer.of(410));
            inTransaction(List.of(alert("gone1", "X:ETHUSD", "critical")), true);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !webhook(id).get("enabled").asBoolean());
            assertThat(webhook(id).get("disabled_reason").asText()).contains("410");
            assertThat(alertsAbout(id)).isNotEmpty();
            try (WebhookReceiver witness = new WebhookReceiver()) {
                create(witness, "\"event_types\": [\"alert\"]");
                awaitCacheHolds();
                int before = receiver.received().size();
                inTransaction(List.of(alert("gone2", "X:ETHUSD", "critical")), true);
                await().atMost(Duration.ofSeconds(30)).until(() -> ids(witness).contains("gone2"));
                assertThat(receiver.received()).hasSize(before);
                assertThat(
                                DB.count(
                                        "SELECT count(*) FROM webhook_deliveries WHERE webhook_id"
                                                + " = ? AND payload LIKE '%gone2%'",
                                        UUID.fromString(id)))
                        .isZero();
            }
            assertThat(owner.post("/api/v1/webhooks/" + id + "/test", "").status()).isEqualTo(409);
            // turned on again, it is whole again
            ApiClient.Response on = patch(owner, id, "{\"enabled\": true}");
            assertThat(on.json().get("disabled_reason").isNull()).isTrue();
        }
    }

    @Test
    void retryAfterIsHonouredOn429() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answers(
                    n ->
                            n == 1
                                    ? new WebhookReceiver.Answer(
                                            429, Map.of("Retry-After", "2"), Duration.ZERO)
                                    : WebhookReceiver.Answer.of(200));
            String id = create(receiver, "\"event_types\": [\"alert\"]");
            owner.post("/api/v1/webhooks/" + id + "/test", "");
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 2);
            List<WebhookReceiver.Received> tries = receiver.received();
            // without Retry-After the second attempt would come after about 150 ms
            assertThat(tries.get(1).arrivedNanos() - tries.get(0).arrivedNanos())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1_900).toNanos());
            assertThat(tries.get(1).id()).isEqualTo(tries.get(0).id());
        }
    }

    @Test
    void anEndpointFailingForTooLongIsDisabledWithAnAlert() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answers(n -> WebhookReceiver.Answer.of(503));
            String id = create(receiver, "\"event_types\": [\"alert\"]");
            owner.post("/api/v1/webhooks/" + id + "/test", "");
            await().atMost(Duration.ofSeconds(40))
                    .until(() -> !webhook(id).get("enabled").asBoolean());
            JsonNode disabled = webhook(id);
            assertThat(disabled.get("disabled_reason").asText()).contains("failed for");
            assertThat(disabled.get("disabled_at").isNull()).isFalse();
            assertThat(delivery(id).get("state").asText()).isEqualTo("given_up");
            assertThat(delivery(id).get("last_status").asInt()).isEqualTo(503);
            JsonNode alert = alertsAbout(id).get(0);
            assertThat(alert.get("severity").asText()).isEqualTo("warning");
            assertThat(alert.get("category").asText()).isEqualTo("webhook");
        }
    }

    @Test
    void theGuardHoldsAtSendTimeToo() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = create(receiver, "\"event_types\": [\"alert\"]");
            // a URL that passed when saved and now points inside (as DNS might): never called
            DB.execute(
                    "UPDATE webhooks SET url = 'http://10.255.255.1:9/x' WHERE webhook_id = ?",
                    UUID.fromString(id));
            owner.post("/api/v1/webhooks/" + id + "/test", "");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> delivery(id).path("state").asText().equals("failed"));
            assertThat(delivery(id).get("last_error").asText())
                    .contains("refused")
                    .contains("private");
            assertThat(delivery(id).get("last_status").isNull()).isTrue();
            delete(owner, id);
        }
    }

    @Test
    void aDispatcherStoppedMidBacklogLosesNothing() throws Exception {
        int events = 300;
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answers(n -> new WebhookReceiver.Answer(200, Map.of(), Duration.ofMillis(10)));
            create(receiver, "\"event_types\": [\"validation\"]");
            awaitCacheHolds();
            // another instance joins the group (sharing partitions and sending with the class's
            // server), stops with a backlog in Kafka and in the table; a new one starts
            try (ApiServer stopped = new ApiServer(settings).start()) {
                inTransaction(validations(0, 100), true);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received().size() >= 20);
            }
            inTransaction(validations(100, 200), true);
            try (ApiServer started = new ApiServer(settings).start()) {
                inTransaction(validations(200, events), true);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> distinctIds(receiver).size() >= events);
            }
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < events; i++) {
                expected.add("v" + i);
            }
            assertThat(ids(receiver)).containsExactlyInAnyOrderElementsOf(expected);
            // a duplicate is a retry of the same message: same id, same body
            Map<String, String> bodyById = new HashMap<>();
            for (WebhookReceiver.Received r : receiver.received()) {
                String before = bodyById.putIfAbsent(r.id(), r.body());
                assertThat(before == null || before.equals(r.body())).isTrue();
            }
            assertThat(distinctIds(receiver)).hasSize(events);
        }
    }

    @Test
    void deliveriesPastTheRetentionAreDeleted() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = create(receiver, "\"event_types\": [\"alert\"]");
            UUID webhook = UUID.fromString(id);
            for (int days : new int[] {8, 30, 1}) {
                DB.execute(
                        "INSERT INTO webhook_deliveries (delivery_id, webhook_id, message_id,"
                                + " event_type, payload, state, event_at, created_at) VALUES (?, ?,"
                                + " 'msg_old', 'alert', '{}', 'delivered', now(), now() -"
                                + " make_interval(days => ?))",
                        UUID.randomUUID(),
                        webhook,
                        days);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    DB.count(
                                                    "SELECT count(*) FROM webhook_deliveries WHERE"
                                                            + " webhook_id = ?",
                                                    webhook)
                                            == 1);
            assertThat(delivery(id).get("created_at").asText()).isNotEmpty();
        }
    }

    @AfterEach
    void deleteWebhooks() {
        DB.execute("DELETE FROM webhooks");
    }

    // ---- helpers

    private static String create(WebhookReceiver receiver, String fields) {
        ApiClient.Response created =
                owner.post(
                        "/api/v1/webhooks",
                        "{\"url\": \"" + receiver.url() + "\", " + fields + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        receiver.secret(created.json().get("secret").asText());
        return created.json().get("webhook_id").asText();
    }

    private static String secretOf(String id) {
        return (String)
                DB.query("SELECT secret FROM webhooks WHERE webhook_id = ?", UUID.fromString(id))
                        .get(0)
                        .get("secret");
    }

    /** The dispatcher matches against every enabled webhook (it reads them every second). */
    private static void awaitCacheHolds() {
        long enabled = DB.count("SELECT count(*) FROM webhooks WHERE enabled");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                owner.get("/metrics")
                                        .body()
                                        .contains("barcast_webhook_endpoints " + enabled + ".0"));
    }

    private static JsonNode webhook(String id) {
        return owner.get("/api/v1/webhooks/" + id).json();
    }

    private static JsonNode delivery(String id) {
        return owner.get("/api/v1/webhooks/" + id + "/deliveries").json().at("/items/0");
    }

    private static List<JsonNode> alertsAbout(String id) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode alert :
                owner.get("/api/v1/alerts?category=webhook&limit=500").json().get("items")) {
            if (alert.get("message").asText().contains(id)) {
                found.add(alert);
            }
        }
        return found;
    }

    private static ApiClient.Response patch(ApiClient client, String id, String body) {
        return client.send(
                client.request("/api/v1/webhooks/" + id)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    private static ApiClient.Response delete(ApiClient client, String id) {
        return client.send(client.request("/api/v1/webhooks/" + id).DELETE());
    }

    private static void assertBad(String body, String parameter) {
        ApiClient.Response response = owner.post("/api/v1/webhooks", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().get("parameter").asText()).isEqualTo(parameter);
    }

    private static Set<String> ids(WebhookReceiver receiver) {
        return receiver.received().stream()
                .map(r -> r.data().path("id").asText())
                .collect(Collectors.toSet());
    }

    private static Set<String> distinctIds(WebhookReceiver receiver) {
        return receiver.received().stream()
                .map(WebhookReceiver.Received::id)
                .collect(Collectors.toSet());
    }

    private static Map<String, String> typesById(WebhookReceiver receiver) {
        Map<String, String> types = new HashMap<>();
        for (WebhookReceiver.Received r : receiver.received()) {
            types.put(r.data().path("id").asText(), r.type());
        }
        return types;
    }

    private static void inTransaction(
            List<ProducerRecord<String, String>> records, boolean commit) {
        producer.beginTransaction();
        for (ProducerRecord<String, String> record : records) {
            producer.send(record);
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static List<ProducerRecord<String, String>> validations(int from, int to) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String symbol = i % 2 == 0 ? "X:ETHUSD" : "X:ETHEUR";
            records.add(
                    record(
                            TOPICS.validations(),
                            symbol,
                            "{\"id\":\"v"
                                    + i
                                    + "\",\"symbol\":\""
                                    + symbol
                                    + "\",\"errorPercent\":0.1}"));
        }
        return records;
    }

    private static ProducerRecord<String, String> prediction(
            String id, String symbol, String reason, double confidence) {
        return record(
                TOPICS.predictions(),
                symbol,
                "{\"id\":\""
                        + id
                        + "\",\"symbol\":\""
                        + symbol
                        + "\",\"asOf\":1767225600000,"
                        + "\"reason\":\""
                        + reason
                        + "\",\"confidence\":"
                        + confidence
                        + ",\"confidenceLevel\":\"high\",\"prices\":[1.5,2.5]}");
    }

    private static ProducerRecord<String, String> alert(String id, String symbol, String severity) {
        return record(
                TOPICS.alerts(),
                symbol,
                "{\"id\":\""
                        + id
                        + "\",\"severity\":\""
                        + severity
                        + "\",\"category\":\"data_gap\","
                        + "\"symbol\":\""
                        + symbol
                        + "\",\"message\":\"m\",\"time\":1767225600000}");
    }

    private static ProducerRecord<String, String> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key, value);
    }
}
