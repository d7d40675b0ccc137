package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.core.json.Json;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control through the API: a forced reprediction reaches the real topic, and the running job
 * answers it with a forecast whose reason is {@code manual}.
 */
class ApiControlITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static final String PREFIX = "control";
    private static JobClient job;
    private static ApiServer server;
    private static ApiClient premium;
    private static ApiClient basic;
    private static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        job = PipelineTables.start(DB, KAFKA, dir, PREFIX);
        server =
                new ApiServer(
                                withTopic(
                                        ApiSettings.defaults(
                                                DB.url(),
                                                DB.user(),
                                                DB.password(),
                                                KAFKA.bootstrapServers())))
                        .start();
        ApiKeys keys = new ApiKeys(server.context().db());
        premium = new ApiClient(server.url(), keys.create("bot", Tier.PREMIUM).secret());
        basic = new ApiClient(server.url(), keys.create("reader", Tier.DEFAULT).secret());
        contract = OpenApiContract.served(premium);
    }

    private static ApiSettings withTopic(ApiSettings settings) {
        return settings.toBuilder().repredictionsTopic(PREFIX + ".repredictions").build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (job != null) {
            job.cancel().get();
        }
    }

    @Test
    void aForcedRepredictionIsAnsweredByTheRunningJob() throws Exception {
        String symbol = PipelineTables.QUIET;
        await().atMost(Duration.ofMinutes(2))
                .until(
                        () ->
                                DB.count(
                                                "SELECT count(*) FROM predictions WHERE symbol = ?",
                                                symbol)
                                        > 0);
        // the job reads the topic from its end once running: ask until it was heard (it answers
        // at most once per bar, so asking again never makes a second answer of the same bar)
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            ApiClient.Response response =
                                    premium.post(
                                            "/api/v1/repredictions",
                                            "{\"symbols\": [\"x:quiet\"], \"detail\": \"news\"}");
                            assertThat(response.status()).as(response.toString()).isEqualTo(202);
                            contract.assertValid("POST", "/api/v1/repredictions", response);
                            JsonNode request = response.json().at("/requests/0");
                            assertThat(request.get("symbol").asText()).isEqualTo(symbol);
                            UUID.fromString(request.get("request_id").asText());
                            return DB.count(
                                            "SELECT count(*) FROM predictions WHERE symbol = ? AND"
                                                    + " reason = 'manual'",
                                            symbol)
                                    > 0;
                        });

        List<ConsumerRecord<String, String>> records =
                KAFKA.consume(PREFIX + ".repredictions", true, 1, Duration.ofSeconds(30));
        ConsumerRecord<String, String> record =
                records.stream()
                        .filter(r -> r.value().contains("\"manual\""))
                        .findFirst()
                        .orElseThrow();
        assertThat(record.key()).isEqualTo(symbol);
        JsonNode sent = Json.newMapper().readTree(record.value());
        assertThat(sent.get("cause").asText()).isEqualTo("manual");
        assertThat(sent.get("detail").asText()).startsWith("news (key ");
    }

    @Test
    void controlNeedsThePremiumTier() {
        ApiClient.Response response =
                basic.post("/api/v1/repredictions", "{\"symbols\": [\"X:ETHUSD\"]}");
        assertThat(response.status()).isEqualTo(403);
        contract.assertValid("POST", "/api/v1/repredictions", response);
        assertThat(response.json().get("detail").asText()).contains("premium");
    }

    @Test
    void badRequestsNameTheFieldAndSendNothing() throws Exception {
        long before =
                KAFKA.consume(PREFIX + ".repredictions", true, 0, Duration.ofSeconds(2)).size();
        assertBad("{\"symbols\": [\"X';DROP TABLE predictions;--\"]}", "symbols[0]");
        assertBad("{\"symbols\": [\"AAPL\", 7]}", "symbols[1]");
        assertBad("{\"symbols\": []}", "symbols");
        assertBad("{\"symbols\": [\"AAPL\"], \"detail\": 5}", "detail");
        assertBad("{\"symbols\": [\"A\\u0000B\"]}", "symbols[0]");
        // a raw control character is not JSON at all
        assertBad("{\"symbols\": [\"A\u0000B\"]}", "body");
        assertBad("{\"symbols\": [\"" + "A".repeat(10_000) + "\"]}", "symbols[0]");
        assertBad("{\"symbols\": ", "body");
        assertBad("[1, 2]", "body");
        ApiClient.Response huge =
                premium.post(
                        "/api/v1/repredictions",
                        "{\"symbols\": [\"AAPL\"], \"detail\": \"" + "x".repeat(2 << 20) + "\"}");
        assertThat(huge.status()).isEqualTo(413);
        contract.assertValid("POST", "/api/v1/repredictions", huge);
        assertThat(huge.header("Content-Type")).startsWith("application/problem+json");
        assertThat(KAFKA.consume(PREFIX + ".repredictions", true, 0, Duration.ofSeconds(2)))
                .hasSize((int) before);
    }

    @Test
    void withoutABrokerTheServiceSaysItIsUnavailable() throws Exception {
        try (ApiServer alone = new ApiServer(TestApiSettings.of(DB, null)).start()) {
            String key = new ApiKeys(alone.context().db()).create("lonely", Tier.PREMIUM).secret();
            ApiClient.Response response =
                    new ApiClient(alone.url(), key)
                            .post("/api/v1/repredictions", "{\"symbols\": [\"AAPL\"]}");
            assertThat(response.status()).isEqualTo(503);
            contract.assertValid("POST", "/api/v1/repredictions", response);
            assertThat(response.json().get("detail").asText()).contains("kafka.bootstrap-servers");
        }
    }

    private static void assertBad(String body, String parameter) {
        ApiClient.Response response = premium.post("/api/v1/repredictions", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        contract.assertValid("POST", "/api/v1/repredictions", response);
        assertThat(response.json().get("parameter").asText()).isEqualTo(parameter);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
