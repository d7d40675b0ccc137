package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiTopics;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.stream.StreamSettings;
import io.barcast.api.stream.StreamTokens;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WebSocket at {@code /api/v1/ws} over a real broker: records committed in transactions (as the
 * job commits them) reach a client only for the kinds and symbols it subscribed to, aborted ones
 * never; bad messages get errors naming what is wrong and leave the socket open; upgrades need a
 * key or an unexpired stream token, never a key in the URL. Also: expired stream tokens leave the
 * table.
 */
class WebSocketITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final ObjectMapper JSON = ApiServer.mapper();
    private static final ApiTopics TOPICS = StreamFixtures.topics("ws");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ApiServer server;
    private static String key;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        // one partition each: the records of a topic reach the reader in the order they were
        // committed, which the assertions on order rely on
        KAFKA.createTopics(
                1,
                TOPICS.predictions(),
                TOPICS.alerts(),
                TOPICS.recommendations(),
                TOPICS.validations());
        server =
                new ApiServer(
                                TestApiSettings.of(DB, KAFKA.bootstrapServers()).toBuilder()
                                        .topics(TOPICS)
                                        .streams(
                                                new StreamSettings(
                                                        100,
                                                        Duration.ofSeconds(15),
                                                        Duration.ofSeconds(60),
                                                        50))
                                        .build())
                        .start();
        try {
            key = new ApiKeys(server.context().db()).create("ws", Tier.DEFAULT).secret();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        StreamFixtures.awaitReader(
                server, key, List.of("predictions", "alerts", "recommendations", "validations"));
        producer = StreamFixtures.transactional(KAFKA.bootstrapServers());
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

    /** A WebSocket client keeping every text message it gets. */
    static final class Messages implements WebSocket.Listener {
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final StringBuilder partial = new StringBuilder();
        volatile boolean closed;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException("not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed = true;
            return null;
        }

        List<JsonNode> ofType(String type) {
            return received.stream().filter(m -> m.path("type").asText().equals(type)).toList();
        }

        List<String> tags() {
            return ofType("event").stream()
                    .map(m -> m.get("kind").asText() + "/" + m.get("record").get("tag").asText())
                    .toList();
        }
    }

    private static WebSocket connect(Messages messages, String query, String apiKey) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder.buildAsync(
                        URI.create(server.url().replace("http", "ws") + "/api/v1/ws" + query),
                        messages)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    private static void send(WebSocket socket, String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static JsonNode awaitReply(Messages messages, int count) {
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                messages.received.stream()
                                                .filter(
                                                        m ->
                                                                !m.path("type")
                                                                        .asText()
                                                                        .equals("event"))
                                                .count()
                                        >= count);
        return messages.received.stream()
                .filter(m -> !m.path("type").asText().equals("event"))
                .toList()
                .get(count - 1);
    }

    /** Commits one record and waits until a client of everything got it (it was fanned out). */
    private static void commitAndAwait(Messages watcher, String topic, String symbol, String tag) {
        int before = watcher.ofType("event").size();
        StreamFixtures.inTransaction(
                producer, true, topic, symbol, StreamFixtures.record(symbol, tag));
        await().atMost(Duration.ofSeconds(20)).until(() -> watcher.ofType("event").size() > before);
    }

    @Test
    void subscribedClientGetsOnlyItsKindsAndSymbolsAndNoAbortedRecord() {
        Messages watcher = new Messages();
        WebSocket watching = connect(watcher, "", key);
        send(
                watching,
                "{\"action\":\"subscribe\",\"kinds\":[\"predictions\",\"alerts\","
                        + "\"recommendations\",\"validations\"]}");
        awaitReply(watcher, 1);

        Messages client = new Messages();
        WebSocket socket = connect(client, "", key);
        send(
                socket,
                "{\"action\":\"subscribe\",\"symbols\":[\"aapl\"],\"kinds\":[\"predictions\"]}");
        JsonNode ack = awaitReply(client, 1);
        assertThat(ack.get("type").asText()).isEqualTo("subscribed");
        assertThat(ack.get("subscription").toString())
                .isEqualTo(
                        "[{\"kind\":\"predictions\",\"all_symbols\":false,\"symbols\":[\"AAPL\"]}]");

        commitAndAwait(watcher, TOPICS.predictions(), "AAPL", "a1");
        commitAndAwait(watcher, TOPICS.predictions(), "MSFT", "m1");
        commitAndAwait(watcher, TOPICS.alerts(), "AAPL", "alert1");
        StreamFixtures.inTransaction(
                producer,
                false,
                TOPICS.predictions(),
                "AAPL",
                StreamFixtures.record("AAPL", "aborted"));
        commitAndAwait(watcher, TOPICS.predictions(), "AAPL", "a2");

        await().atMost(Duration.ofSeconds(10)).until(() -> client.ofType("event").size() >= 2);
        assertThat(client.tags())
                .as("AAPL forecasts only, in order, never the aborted one")
                .containsExactly("prediction/a1", "prediction/a2");
        assertThat(watcher.tags()).doesNotContain("prediction/aborted");
        JsonNode first = client.ofType("event").get(0);
        assertThat(first.get("record").toString()).isEqualTo(StreamFixtures.record("AAPL", "a1"));
        assertThat(first.get("id").asText()).matches("prediction:0-\\d+");

        // unsubscribe: later AAPL forecasts stop; an alert subscription shows the socket still
        // gets what it asks for after them (one topic partition each, fanned out in order)
        send(socket, "{\"action\":\"unsubscribe\",\"kinds\":[\"predictions\"]}");
        JsonNode unsubscribed = awaitReply(client, 2);
        assertThat(unsubscribed.get("type").asText()).isEqualTo("unsubscribed");
        assertThat(unsubscribed.get("subscription").size()).isZero();
        send(socket, "{\"action\":\"subscribe\",\"kinds\":[\"alert\"]}");
        awaitReply(client, 3);
        commitAndAwait(watcher, TOPICS.predictions(), "AAPL", "a3");
        commitAndAwait(watcher, TOPICS.alerts(), "AAPL", "alert2");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.tags().contains("alert/alert2"));
        assertThat(client.tags()).containsExactly("prediction/a1", "prediction/a2", "alert/alert2");
        socket.abort();
        watching.abort();
    }

    @Test
    void badMessagesGetErrorsNamingTheProblemAndTheSocketStaysOpen() {
        Messages client = new Messages();
        WebSocket socket = connect(client, "", key);
        send(socket, "not json");
        assertThat(awaitReply(client, 1).get("error").asText()).contains("not valid JSON");
        send(socket, "{\"action\":\"dance\",\"kinds\":[\"predictions\"]}");
        assertThat(awaitReply(client, 2).get("field").asText()).isEqualTo("action");
        send(socket, "{\"action\":\"subscribe\",\"kinds\":[\"predictions\",\"trades\"]}");
        JsonNode unknownKind = awaitReply(client, 3);
        assertThat(unknownKind.get("field").asText()).isEqualTo("kinds[1]");
        assertThat(unknownKind.get("error").asText()).contains("'trades'").contains("predictions");
        send(socket, "{\"action\":\"subscribe\",\"kinds\":[\"alerts\"],\"symbols\":[\"AA PL!\"]}");
        assertThat(awaitReply(client, 4).get("field").asText()).isEqualTo("symbols[0]");
        send(socket, "{\"action\":\"subscribe\",\"kinds\":[\"alerts\"],\"since\":1}");
        JsonNode unknownField = awaitReply(client, 5);
        assertThat(unknownField.get("field").asText()).isEqualTo("since");
        assertThat(unknownField.get("error").asText()).contains("unknown field since");
        assertThat(client.ofType("error")).hasSize(5);

        send(
                socket,
                "{\"action\":\"subscribe\",\"kinds\":[\"alerts\"],\"symbols\":[\"X:ETHUSD\"]}");
        JsonNode ack = awaitReply(client, 6);
        assertThat(ack.get("type").asText()).isEqualTo("subscribed");
        assertThat(ack.get("subscription").get(0).get("symbols").get(0).asText())
                .isEqualTo("X:ETHUSD");
        assertThat(client.closed).isFalse();
        socket.abort();
    }

    @Test
    void upgradeNeedsAKeyOrAnUnexpiredTokenAndNeverTakesAKeyFromTheUrl() throws Exception {
        assertRefused("", null, 401);
        assertRefused("?token=" + key, null, 401);
        assertRefused("?token=st_madeup", null, 401);

        ApiClient api = new ApiClient(server.url(), key).validating(OpenApiContract.shipped());
        ApiClient.Response issued = api.post("/api/v1/stream/tokens", "");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        String token = issued.json().get("token").asText();
        assertThat(token).startsWith("st_");
        assertThat(DB.count("SELECT count(*) FROM stream_tokens WHERE token_hash = ?", token))
                .as("only a hash is stored")
                .isZero();

        Messages client = new Messages();
        WebSocket socket = connect(client, "?token=" + token, null);
        send(socket, "{\"action\":\"subscribe\",\"kinds\":[\"alerts\"]}");
        assertThat(awaitReply(client, 1).get("type").asText()).isEqualTo("subscribed");
        socket.abort();

        DB.execute(
                "UPDATE stream_tokens SET expires_at = now() - interval '1 second' WHERE"
                        + " token_hash = ?",
                ApiKeys.hash(token));
        assertRefused("?token=" + token, null, 401);
    }

    @Test
    void expiredTokensLeaveTheTable() throws Exception {
        ApiClient api = new ApiClient(server.url(), key);
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/v1/stream/tokens", "").status()).isEqualTo(200);
        }
        String kept = api.post("/api/v1/stream/tokens", "").json().get("token").asText();
        DB.execute(
                "UPDATE stream_tokens SET expires_at = now() - interval '1 second' WHERE"
                        + " token_hash <> ?",
                ApiKeys.hash(kept));
        long expired = DB.count("SELECT count(*) FROM stream_tokens WHERE expires_at <= now()");
        assertThat(expired).isGreaterThanOrEqualTo(5);

        StreamTokens tokens = new StreamTokens(server.context().db(), Duration.ofSeconds(60));
        assertThat(tokens.removeExpired()).isEqualTo((int) expired);
        assertThat(DB.count("SELECT count(*) FROM stream_tokens WHERE expires_at <= now()"))
                .isZero();
        assertThat(DB.count("SELECT count(*) FROM stream_tokens")).isEqualTo(1);
    }

    private static void assertRefused(String query, String apiKey, int status) {
        assertThatThrownBy(() -> connect(new Messages(), query, apiKey))
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(status));
    }
}
