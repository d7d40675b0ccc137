package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits on two real servers sharing one real database: the call past a key's limit is refused
 * with a problem and the headers a client needs, the count is shared by the instances, keys do not
 * share buckets, probes are never limited, idle buckets are removed, and a failing bucket table
 * lets requests through.
 */
class ApiRateLimitITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

    private static final int LIMIT = 5;

    /** A default-tier read that answers on an empty database. */
    private static final String LIMITED = "/api/v1/alerts";

    /**
     * A default-tier route for these tests, so they depend on none of the API's own endpoints; it
     * costs what any read costs.
     */
    private static ApiServer first;

    private static ApiServer second;
    private static ApiKeys keys;

    @BeforeAll
    static void start() {
        ApiSettings settings =
                ApiSettings.defaults(DB.url(), DB.user(), DB.password(), null)
                        .withLimits(Map.of(Tier.DEFAULT, LIMIT));
        first = new ApiServer(settings).start();
        second = new ApiServer(settings).start();
        keys = new ApiKeys(first.context().db());
    }

    @AfterAll
    static void stop() {
        for (ApiServer server : new ApiServer[] {first, second}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void theCallPastTheLimitIsRefusedWithRetryAfterAndTheLimitHeaders() throws Exception {
        ApiKeys.Created key = keys.create("bot", Tier.DEFAULT);
        ApiClient client = new ApiClient(first.url(), key.secret());
        for (int call = 1; call <= LIMIT; call++) {
            ApiClient.Response allowed = client.get(LIMITED);
            assertThat(allowed.status()).as("call %d", call).isEqualTo(200);
            assertThat(allowed.header("RateLimit-Limit")).isEqualTo("5");
            assertThat(allowed.header("RateLimit-Remaining")).isEqualTo(Integer.toString(5 - call));
            assertThat(allowed.header("RateLimit-Policy")).isEqualTo("5;w=60");
            // seconds until the bucket is full again: 12 s a token at 5 a minute
            assertThat(Long.parseLong(allowed.header("RateLimit-Reset"))).isBetween(1L, 12L * call);
        }

        ApiClient.Response refused = client.get(LIMITED);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = refused.json();
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("title").asText()).isEqualTo("Too many requests");
        assertThat(problem.get("detail").asText())
                .contains(key.key().id())
                .contains("5 requests a minute")
                .doesNotContain(key.secret());
        assertThat(problem.get("request_id").asText()).isEqualTo(refused.header("X-Request-Id"));
        // the next token comes at most 12 s after the last one went
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 12L);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo("5");
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(refused.header("RateLimit-Reset"))).isBetween(1L, 60L);
        assertThat(metric(first, "barcast_api_rate_limited_total{tier=\"default\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void theLimitHoldsAcrossInstancesOnTheSameDatabase() throws Exception {
        String key = keys.create("spread", Tier.DEFAULT).secret();
        ApiClient[] clients = {new ApiClient(first.url(), key), new ApiClient(second.url(), key)};
        for (int call = 1; call <= LIMIT; call++) {
            ApiClient.Response allowed = clients[call % 2].get(LIMITED);
            assertThat(allowed.status()).as("call %d", call).isEqualTo(200);
            assertThat(allowed.header("RateLimit-Remaining")).isEqualTo(Integer.toString(5 - call));
        }

        // each instance alone has seen at most 3 of the 5 calls, yet both refuse the sixth
        assertThat(clients[0].get(LIMITED).status()).isEqualTo(429);
        assertThat(clients[1].get(LIMITED).status()).isEqualTo(429);
    }

    @Test
    void concurrentCallsOnBothInstancesGetExactlyTheLimit() throws Exception {
        String key = keys.create("burst", Tier.DEFAULT).secret();
        ApiClient[] clients = {new ApiClient(first.url(), key), new ApiClient(second.url(), key)};
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            // the first calls of a new key race to create its bucket, then for its row's lock
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int call = 0; call < 4 * LIMIT; call++) {
                ApiClient client = clients[call % 2];
                statuses.add(callers.submit(() -> client.get(LIMITED).status()));
            }
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(30, TimeUnit.SECONDS));
            }

            assertThat(answered).filteredOn(s -> s == 200).hasSize(LIMIT);
            assertThat(answered).filteredOn(s -> s == 429).hasSize(3 * LIMIT);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void eachKeyHasItsOwnBucket() throws Exception {
        ApiClient spent = new ApiClient(first.url(), keys.create("spent", Tier.DEFAULT).secret());
        exhaust(spent);
        ApiClient fresh = spent.withKey(keys.create("fresh", Tier.DEFAULT).secret());

        ApiClient.Response response = fresh.get(LIMITED);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("RateLimit-Remaining")).isEqualTo("4");
        assertThat(spent.get(LIMITED).status()).isEqualTo(429);
    }

    @Test
    void probesAreNeverLimited() throws Exception {
        String key = keys.create("prober", Tier.DEFAULT).secret();
        exhaust(new ApiClient(first.url(), key));
        for (ApiClient client :
                List.of(new ApiClient(first.url(), key), new ApiClient(first.url(), null))) {
            for (int call = 0; call < 2 * LIMIT; call++) {
                for (String probe : List.of("/health", "/ready", "/metrics")) {
                    ApiClient.Response response = client.get(probe);
                    assertThat(response.status()).as(probe).isEqualTo(200);
                    assertThat(response.header("RateLimit-Limit")).as(probe).isNull();
                }
            }
        }
    }

    @Test
    void bucketsAreKeyedByKeyIdAndRemovedOnceIdleAndFull() throws Exception {
        ApiKeys.Created idle = keys.create("idle", Tier.DEFAULT);
        ApiKeys.Created busy = keys.create("busy", Tier.DEFAULT);
        ApiClient idleClient = new ApiClient(first.url(), idle.secret());
        long before = System.currentTimeMillis();
        assertThat(idleClient.get(LIMITED).status()).isEqualTo(200);
        assertThat(idleClient.withKey(busy.secret()).get(LIMITED).status()).isEqualTo(200);
        long after = System.currentTimeMillis();

        List<Map<String, Object>> rows =
                DB.query(
                        "SELECT key_id, expires_at FROM rate_limit_buckets WHERE key_id = ?",
                        idle.key().id());
        assertThat(rows).hasSize(1);
        // one token used: full again 12 s later, then kept for a minute
        assertThat((Long) rows.get(0).get("expires_at")).isBetween(before + 60_000, after + 72_000);
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM rate_limit_buckets WHERE key_id = ?",
                                idle.secret()))
                .isZero();

        // as if an hour had passed for the idle key alone
        DB.execute(
                "UPDATE rate_limit_buckets SET expires_at = expires_at - 3600000 WHERE key_id = ?",
                idle.key().id());
        assertThat(second.rateLimits().removeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(
                        DB.count(
                                "SELECT count(*) FROM rate_limit_buckets WHERE key_id = ?",
                                idle.key().id()))
                .isZero();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM rate_limit_buckets WHERE key_id = ?",
                                busy.key().id()))
                .isEqualTo(1);
        // a removed bucket comes back full, as the old one would have been by now
        assertThat(idleClient.get(LIMITED).header("RateLimit-Remaining")).isEqualTo("4");
    }

    @Test
    void requestsGoThroughUnlimitedWhenTheBucketsCannotBeRead() throws Exception {
        ApiClient client = new ApiClient(first.url(), keys.create("open", Tier.DEFAULT).secret());
        double failuresBefore = metric(first, "barcast_api_rate_limit_failures_total");
        DB.execute("ALTER TABLE rate_limit_buckets RENAME TO rate_limit_buckets_away");
        try {
            ApiClient.Response response = client.get(LIMITED);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("RateLimit-Limit")).isNull();
            assertThat(metric(first, "barcast_api_rate_limit_failures_total"))
                    .isEqualTo(failuresBefore + 1);
        } finally {
            DB.execute("ALTER TABLE rate_limit_buckets_away RENAME TO rate_limit_buckets");
        }
        assertThat(client.get(LIMITED).header("RateLimit-Remaining")).isEqualTo("4");
    }

    private static void exhaust(ApiClient client) {
        for (int call = 1; call <= LIMIT; call++) {
            assertThat(client.get(LIMITED).status()).as("call %d", call).isEqualTo(200);
        }
        assertThat(client.get(LIMITED).status()).isEqualTo(429);
    }

    /** A sample's value from the server's {@code /metrics}; 0 when it has none yet. */
    private static double metric(ApiServer server, String sample) {
        String text = new ApiClient(server.url(), null).get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
