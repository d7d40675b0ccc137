package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiServer;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.testing.LogLines;
import io.barcast.jobs.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys and tiers on the real server over a real database: who may call what, and the errors. */
class ApiAuthITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

    private static final ObjectMapper MAPPER = ApiServer.mapper();

    private static ApiServer server;
    private static ApiClient anonymous;
    private static String defaultKey;
    private static String adminKey;
    private static String revokedKey;

    @BeforeAll
    static void start() throws Exception {
        server = new ApiServer(TestApiSettings.of(DB, null)).start();
        anonymous = new ApiClient(server.url(), null);
        ApiKeys keys = new ApiKeys(server.context().db());
        defaultKey = keys.create("bot", Tier.DEFAULT).secret();
        adminKey = keys.create("ops", Tier.ADMIN).secret();
        ApiKeys.Created revoked = keys.create("old", Tier.PREMIUM);
        keys.revoke(revoked.key().id());
        revokedKey = revoked.secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void probesNeedNoKey() {
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        ApiClient.Response ready = anonymous.get("/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().at("/checks/database").asText()).isEqualTo("up");
        assertThat(ready.json().at("/checks/kafka").asText()).isEqualTo("not configured");
        assertThat(anonymous.get("/metrics").body()).contains("barcast_api_requests_total");
    }

    @Test
    void everyResponseCarriesARequestId() {
        ApiClient.Response response = anonymous.get("/health");
        assertThat(response.header("X-Request-Id")).isNotBlank();
        ApiClient.Response missing = anonymous.get("/nowhere");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("request_id").asText())
                .isEqualTo(missing.header("X-Request-Id"));
    }

    @Test
    void unknownParametersAreRefusedByName() {
        ApiClient.Response response = anonymous.get("/health?verbose=1");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("parameter").asText()).isEqualTo("verbose");
    }

    @Test
    void everyRequestIsOneJsonAccessLineWithoutTheKey() throws Exception {
        ApiClient reader = new ApiClient(server.url(), defaultKey);
        try (LogLines access = LogLines.of("barcast.api.access", Level.INFO)) {
            ApiClient.Response ok = reader.get("/api/v1/alerts?severity=critical");
            ApiClient.Response refused = anonymous.get("/api/v1/alerts");
            await().atMost(Duration.ofSeconds(10)).until(() -> access.lines().size() >= 2);
            JsonNode first = MAPPER.readTree(access.lines().get(0));
            assertThat(first.get("request_id").asText()).isEqualTo(ok.header("X-Request-Id"));
            assertThat(first.get("key_id").asText()).isEqualTo(defaultKey.split("_")[1]);
            assertThat(first.get("route").asText()).isEqualTo("/api/v1/alerts");
            assertThat(first.get("method").asText()).isEqualTo("GET");
            assertThat(first.get("status").asInt()).isEqualTo(200);
            assertThat(first.get("latency_ms").asDouble()).isPositive();
            JsonNode second = MAPPER.readTree(access.lines().get(1));
            assertThat(second.get("status").asInt()).isEqualTo(refused.status()).isEqualTo(401);
            assertThat(second.get("key_id").isNull()).isTrue();
            assertThat(String.join("\n", access.lines()))
                    .doesNotContain(defaultKey)
                    .as("the query string is not logged")
                    .doesNotContain("critical");
        }
    }

    @Test
    void browsersMayCallFromTheConfiguredOriginsOnly() throws Exception {
        try (ApiServer withCors =
                new ApiServer(
                                TestApiSettings.of(DB, null).toBuilder()
                                        .corsOrigins(List.of("https://dash.example.com"))
                                        .build())
                        .start()) {
            ApiClient client = new ApiClient(withCors.url(), defaultKey);
            ApiClient.Response allowed =
                    client.send(
                            client.request("/api/v1/alerts")
                                    .header("Origin", "https://dash.example.com")
                                    .GET());
            assertThat(allowed.header("Access-Control-Allow-Origin"))
                    .isEqualTo("https://dash.example.com");
            assertThat(allowed.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
            ApiClient.Response other =
                    client.send(
                            client.request("/api/v1/alerts")
                                    .header("Origin", "https://evil.example.com")
                                    .GET());
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        }
        ApiClient.Response none =
                anonymous.send(
                        anonymous
                                .request("/health")
                                .header("Origin", "https://dash.example.com")
                                .GET());
        assertThat(none.header("Access-Control-Allow-Origin"))
                .as("no origins configured: none allowed")
                .isNull();
    }

    @Test
    void aKeyRevokedElsewhereIsRefusedWithinTheTimeKeysAreRemembered() throws Exception {
        ApiKeys keys = new ApiKeys(server.context().db());
        ApiKeys.Created key = keys.create("short-lived", Tier.DEFAULT);
        ApiClient holder = new ApiClient(server.url(), key.secret());
        assertThat(holder.get("/api/v1/alerts").status()).isEqualTo(200);
        // as the command line or another instance would: straight in the database
        assertThat(keys.revoke(key.key().id())).isTrue();
        await().atMost(KeyCheck.REMEMBER.plusSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> holder.get("/api/v1/alerts").status() == 401);
        assertThat(holder.get("/api/v1/alerts").json().get("detail").asText())
                .contains("was revoked");
    }

    @Test
    void keysNeverAppearInMetrics() {
        new ApiClient(server.url(), defaultKey).get("/health");
        assertThat(anonymous.get("/metrics").body()).doesNotContain(defaultKey);
        assertThat(revokedKey).isNotEqualTo(adminKey);
    }
}
