package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiTopics;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.stream.StreamSettings;
import io.barcast.core.json.Json;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.testing.LogLines;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-sent event streams over the real pipeline: clients connected before the job runs get
 * exactly the forecasts it commits to its topic (the topic, read as committed afterwards, is the
 * reference), of their symbols, in order per symbol; a client that reconnects with its last event
 * id ends with every event once. A second server with a small client buffer and a short heartbeat,
 * fed by a transactional producer, shows a client that stops reading dropped while another keeps
 * getting events, heartbeats on idle streams, and the refusals (a bad Last-Event-ID, no key, a key
 * in the URL, too many clients).
 */
class StreamsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final ObjectMapper JSON = Json.newMapper();
    private static final String PREFIX = "streams";
    private static final ApiTopics SMALL_TOPICS = StreamFixtures.topics("small");

    /** The second server's client buffer and most clients. */
    private static final int SMALL_BUFFER = 4;

    private static final int SMALL_MAX_CLIENTS = 4;

    @TempDir static Path dir;

    private static ApiServer server;
    private static ApiServer small;
    private static String key;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception {
        server =
                new ApiServer(
                                TestApiSettings.of(DB, KAFKA.bootstrapServers()).toBuilder()
                                        .topics(StreamFixtures.topics(PREFIX))
                                        .build())
                        .start();
        key = new ApiKeys(server.context().db()).create("streams", Tier.DEFAULT).secret();
        KAFKA.createTopics(
                1,
                SMALL_TOPICS.predictions(),
                SMALL_TOPICS.alerts(),
                SMALL_TOPICS.recommendations(),
                SMALL_TOPICS.validations());
        small =
                new ApiServer(
                                TestApiSettings.of(DB, KAFKA.bootstrapServers()).toBuilder()
                                        .topics(SMALL_TOPICS)
                                        .streams(
                                                new StreamSettings(
                                                        SMALL_BUFFER,
                                                        Duration.ofMillis(300),
                                                        Duration.ofSeconds(60),
                                                        SMALL_MAX_CLIENTS))
                                        .build())
                        .start();
        StreamFixtures.awaitReader(small, key, List.of("predictions", "alerts"));
        producer = StreamFixtures.transactional(KAFKA.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (small != null) {
            small.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String url(ApiServer on, String pathAndQuery) {
        return on.url() + pathAndQuery;
    }

    @Test
    void clientsGetExactlyTheCommittedForecastsOfTheirSymbolsAndResumeWithoutGapOrDuplicate()
            throws Exception {
        String path = "/api/v1/stream/predictions";
        SseTestClient both =
                SseTestClient.open(
                        url(server, path + "?symbols=X:ETHUSD,x:etheur"), "X-API-Key", key);
        SseTestClient eur =
                SseTestClient.open(url(server, path + "?symbols=X:ETHEUR"), "X-API-Key", key);
        SseTestClient first = SseTestClient.open(url(server, path), "X-API-Key", key);
        for (SseTestClient client : List.of(both, eur, first)) {
            assertThat(client.status()).as(String.valueOf(client.body())).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.events("ready").isEmpty());
        }
        assertThat(both.events("ready").get(0).data())
                .isEqualTo(
                        "{\"stream\":\"predictions\",\"symbols\":[\"X:ETHEUR\",\"X:ETHUSD\"],"
                                + "\"resumed\":false}");

        CompletableFuture<Void> pipeline =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                PipelineTables.fill(DB, KAFKA, dir, PREFIX);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });

        // the third client leaves midway and comes back with the id of the last event it got
        await().atMost(Duration.ofSeconds(120))
                .until(() -> first.events("prediction").size() >= 1 || pipeline.isDone());
        first.close();
        List<SseTestClient.Event> beforeLeaving = first.events();
        String lastId = first.lastEventId();
        int seen = both.events("prediction").size();
        await().atMost(Duration.ofSeconds(120))
                .until(() -> both.events("prediction").size() > seen || pipeline.isDone());
        SseTestClient again =
                SseTestClient.open(url(server, path), "X-API-Key", key, "Last-Event-ID", lastId);
        assertThat(again.status()).as(String.valueOf(again.body())).isEqualTo(200);

        pipeline.get(180, TimeUnit.SECONDS);
        List<ConsumerRecord<String, String>> committed =
                KAFKA.consume(PREFIX + ".predictions", true, 1, Duration.ofSeconds(30));
        assertThat(committed).as("the job committed forecasts").hasSizeGreaterThan(20);
        List<ConsumerRecord<String, String>> ofEur =
                committed.stream().filter(r -> r.key().equals("X:ETHEUR")).toList();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> both.events("prediction").size() >= committed.size());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> eur.events("prediction").size() >= ofEur.size());
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                beforeLeaving.stream()
                                                        .filter(e -> e.event().equals("prediction"))
                                                        .count()
                                                + again.events("prediction").size()
                                        >= committed.size());

        assertExactly(both.events("prediction"), committed, "the client of both symbols");
        assertExactly(eur.events("prediction"), ofEur, "the client of X:ETHEUR");
        List<SseTestClient.Event> resumed = new ArrayList<>();
        beforeLeaving.stream().filter(e -> e.event().equals("prediction")).forEach(resumed::add);
        resumed.addAll(again.events("prediction"));
        assertExactly(resumed, committed, "the client that left and resumed");
        assertThat(again.events().get(0).event()).isEqualTo("ready");
        assertThat(again.events().get(0).id()).isEqualTo(lastId);

        // nothing more comes: a duplicate would show up here
        assertThat(both.events("prediction")).hasSize(committed.size());
        for (SseTestClient client : List.of(both, eur, again)) {
            client.close();
        }
    }

    /**
     * The events are the committed records of their symbols, each once, in the topic's order per
     * symbol, with the record's JSON as committed and an id that holds its offset.
     */
    private static void assertExactly(
            List<SseTestClient.Event> events,
            List<ConsumerRecord<String, String>> committed,
            String who)
            throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        Map<String, String> idParts = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : committed) {
            expected.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
            idParts.put(record.value(), record.partition() + "-" + (record.offset() + 1));
        }
        Map<String, List<String>> actual = new LinkedHashMap<>();
        for (SseTestClient.Event event : events) {
            JsonNode record = JSON.readTree(event.data());
            actual.computeIfAbsent(record.get("symbol").asText(), k -> new ArrayList<>())
                    .add(event.data());
            String part = idParts.get(event.data());
            assertThat(part).as(who + ": an event that is not a committed record").isNotNull();
            assertThat(List.of(event.id().substring("prediction:".length()).split(",")))
                    .as(who + ": the id names the position after the record")
                    .contains(part);
        }
        assertThat(actual.keySet()).as(who).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (String symbol : expected.keySet()) {
            assertThat(actual.get(symbol))
                    .as(who + ": the forecasts of " + symbol + ", in order, each once")
                    .containsExactlyElementsOf(expected.get(symbol));
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWhileAnotherKeepsGettingEvents() throws Exception {
        String path = "/api/v1/stream/predictions";
        SseTestClient healthy = SseTestClient.open(url(small, path), "X-API-Key", key);
        await().atMost(Duration.ofSeconds(10)).until(() -> !healthy.events("ready").isEmpty());
        double droppedBefore = dropped();
        try (Socket stuck = new Socket()) {
            // a client that never reads: a small receive window, and nothing taken from it
            stuck.setReceiveBufferSize(1024);
            stuck.connect(new InetSocketAddress("127.0.0.1", small.port()), 5_000);
            OutputStream out = stuck.getOutputStream();
            out.write(
                    ("GET "
                                    + path
                                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                                    + key
                                    + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    metric(
                                                    "barcast_api_stream_clients{kind=\"prediction\",transport=\"sse\"}")
                                            >= 2);

            String padding = "x".repeat(64 * 1024);
            int sent = 0;
            while (dropped() == droppedBefore && sent < 500) {
                StreamFixtures.inTransaction(
                        producer,
                        true,
                        SMALL_TOPICS.predictions(),
                        "AAPL",
                        "{\"symbol\":\"AAPL\",\"n\":" + sent + ",\"pad\":\"" + padding + "\"}");
                sent++;
                int expected = sent;
                // the healthy client keeps up: it has every event so far
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> healthy.events("prediction").size() >= expected);
            }
            assertThat(dropped())
                    .as("the client that stopped reading was dropped")
                    .isGreaterThan(droppedBefore);

            // and events committed after it stopped reading still reach the other one
            StreamFixtures.inTransaction(
                    producer,
                    true,
                    SMALL_TOPICS.predictions(),
                    "AAPL",
                    StreamFixtures.record("AAPL", "after"));
            int all = sent + 1;
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> healthy.events("prediction").size() == all);
            assertThat(healthy.events("prediction").get(all - 1).data())
                    .isEqualTo(StreamFixtures.record("AAPL", "after"));
            assertThat(healthy.events("dropped")).isEmpty();

            // the server cut the stuck connection: reading it ends
            InputStream in = stuck.getInputStream();
            stuck.setSoTimeout(30_000);
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // drain what the kernel held until the end
            }
        } finally {
            healthy.close();
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() {
        try (SseTestClient idle =
                SseTestClient.open(url(small, "/api/v1/stream/validations"), "X-API-Key", key)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> idle.comments().size() >= 2);
            assertThat(idle.events())
                    .extracting(SseTestClient.Event::event)
                    .containsExactly("ready");
        }
    }

    @Test
    void refusesBadIdsMissingKeysKeysInUrlsAndClientsBeyondTheLimit() throws Exception {
        String path = "/api/v1/stream/alerts";
        try (SseTestClient bad =
                SseTestClient.open(url(small, path), "X-API-Key", key, "Last-Event-ID", "12")) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("parameter").asText())
                    .isEqualTo("Last-Event-ID");
        }
        try (SseTestClient foreign =
                SseTestClient.open(
                        url(small, path), "X-API-Key", key, "Last-Event-ID", "prediction:0-5")) {
            assertThat(foreign.status()).isEqualTo(400);
            assertThat(JSON.readTree(foreign.body()).get("detail").asText())
                    .contains("another stream");
        }
        try (SseTestClient none = SseTestClient.open(url(small, path))) {
            assertThat(none.status()).isEqualTo(401);
        }
        try (SseTestClient keyInUrl = SseTestClient.open(url(small, path + "?token=" + key))) {
            assertThat(keyInUrl.status()).isEqualTo(401);
            assertThat(keyInUrl.body()).doesNotContain(key);
        }
        try (SseTestClient keyParam = SseTestClient.open(url(small, path + "?api_key=" + key))) {
            assertThat(keyParam.status()).isEqualTo(401);
        }
        try (SseTestClient badSymbol =
                SseTestClient.open(url(small, path + "?symbols=AAPL,no%20way"), "X-API-Key", key)) {
            assertThat(badSymbol.status()).isEqualTo(400);
            assertThat(JSON.readTree(badSymbol.body()).get("parameter").asText())
                    .isEqualTo("symbols");
        }

        // a token works in the URL, and neither it nor the key shows in any log line
        ApiClient api = new ApiClient(small.url(), key);
        String token = api.post("/api/v1/stream/tokens", "").json().get("token").asText();
        try (LogLines access = LogLines.of("barcast.api.access", Level.INFO);
                SseTestClient byToken = SseTestClient.open(url(small, path + "?token=" + token))) {
            assertThat(byToken.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !byToken.events("ready").isEmpty());
            byToken.close();
            // the stream's line is written when it ends
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    access.lines().stream()
                                            .anyMatch(
                                                    line ->
                                                            line.contains(
                                                                    "/api/v1/stream/alerts")));
            assertThat(String.join("\n", access.lines())).doesNotContain(token).doesNotContain(key);
        }

        // nor in any other log line at INFO (Jetty, Javalin, barcast)
        try (LogLines all = LogLines.of("", Level.INFO);
                SseTestClient byToken = SseTestClient.open(url(small, path + "?token=" + token))) {
            assertThat(byToken.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !byToken.events("ready").isEmpty());
            byToken.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    metric(
                                                    "barcast_api_stream_clients{kind=\"alert\","
                                                            + "transport=\"sse\"}")
                                            == 0);
            assertThat(String.join("\n", all.lines())).doesNotContain(token).doesNotContain(key);
        }

        // at most SMALL_MAX_CLIENTS streams at once; beyond them 503
        List<SseTestClient> open = new ArrayList<>();
        try {
            SseTestClient refused = null;
            for (int i = 0; i < SMALL_MAX_CLIENTS + 3 && refused == null; i++) {
                SseTestClient client = SseTestClient.open(url(small, path), "X-API-Key", key);
                if (client.status() == 503) {
                    refused = client;
                } else {
                    open.add(client);
                }
            }
            assertThat(refused).as("a stream beyond the limit is refused").isNotNull();
            assertThat(open).hasSizeLessThanOrEqualTo(SMALL_MAX_CLIENTS);
            assertThat(JSON.readTree(refused.body()).get("status").asInt()).isEqualTo(503);
        } finally {
            open.forEach(SseTestClient::close);
        }
    }

    @Test
    void aRevokedKeysStreamsEndAndItsTokensStopWorking() throws Exception {
        ApiKeys keys = new ApiKeys(small.context().db());
        ApiKeys.Created revoked = keys.create("soon revoked", Tier.DEFAULT);
        String token =
                new ApiClient(small.url(), revoked.secret())
                        .post("/api/v1/stream/tokens", "")
                        .json()
                        .get("token")
                        .asText();
        try (SseTestClient open =
                SseTestClient.open(
                        url(small, "/api/v1/stream/recommendations"),
                        "X-API-Key",
                        revoked.secret())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !open.events("ready").isEmpty());
            assertThat(keys.revoke(revoked.key().id())).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> !open.events("dropped").isEmpty());
            assertThat(JSON.readTree(open.events("dropped").get(0).data()).get("reason").asText())
                    .isEqualTo("revoked");
            await().atMost(Duration.ofSeconds(10)).until(open::ended);
        }
        try (SseTestClient byToken =
                SseTestClient.open(url(small, "/api/v1/stream/recommendations?token=" + token))) {
            assertThat(byToken.status()).isEqualTo(401);
        }
    }

    private static double dropped() throws Exception {
        return metric(
                "barcast_api_stream_clients_dropped_total{reason=\"slow\",transport=\"sse\"}");
    }

    /** A sample of the small server's /metrics; 0 when it is not there. */
    private static double metric(String sample) throws Exception {
        String text =
                new String(
                        URI.create(small.url() + "/metrics").toURL().openStream().readAllBytes(),
                        StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }
}
