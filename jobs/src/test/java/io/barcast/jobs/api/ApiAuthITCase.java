package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.api.ApiServer;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys and tiers on the real server over a real database: who may call what, and the errors. */
class ApiAuthITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

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
    void keysNeverAppearInMetrics() {
        new ApiClient(server.url(), defaultKey).get("/health");
        assertThat(anonymous.get("/metrics").body()).doesNotContain(defaultKey);
        assertThat(revokedKey).isNotEqualTo(adminKey);
    }
}
