package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.api.ApiServer;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.ForecastOptions;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The insight endpoints (recommendations, trade outcomes, performance, validations, alerts, dead
 * letters) over sink tables the real pipeline filled from real ETH bars: every answer equals what
 * independent SQL over the same tables says, every listing walked page by page holds each row once
 * and in order, the performance figures equal the job's own accuracy rows, and every bad input is a
 * problem naming its parameter that leaves the tables as they were.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiInsightsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static final String ETH = PipelineTables.ETH;
    private static final String ETH_EUR = PipelineTables.ETH_EUR;
    private static final List<String> SYMBOLS = List.of(ETH, ETH_EUR);
    private static final String UNKNOWN = "X:NOPE";

    /** Sums in another order than SQL's differ in the last bits, no more. */
    private static final double CLOSE = 1e-9;

    private static final String RECOMMENDATION_COLUMNS =
            "recommendation_id, prediction_id, symbol, as_of, side, entry_time, entry_price,"
                    + " exit_time, target_price, stop_loss, expected_return_percent, risk_reward,"
                    + " confidence, model_version, status, superseded_by, created_at, updated_at";
    private static final String OUTCOME_COLUMNS =
            "recommendation_id, prediction_id, symbol, side, entry_time, entry_price,"
                    + " target_price, stop_loss, outcome, exit_time, exit_price,"
                    + " realized_return_percent, bars_held, written_at";
    private static final String VALIDATION_COLUMNS =
            "validation_id, prediction_id, symbol, as_of, target_time, horizon_bars, CASE WHEN"
                    + " horizon_bars <= 4 THEN '1h' WHEN horizon_bars <= 96 THEN '1d' ELSE '1w'"
                    + " END AS horizon, last_close, predicted, actual, error_percent,"
                    + " naive_error_percent, direction_right, inside_band, band_lower,"
                    + " band_upper, written_at";

    /**
     * The figures of the performance endpoints, written out: the buckets of sql/queries (up to 4
     * bars, up to 96, beyond) and over all steps, errors in percent of the actual price.
     */
    private static final String FIGURES =
            "count(*) AS points, avg(abs(error_percent)) AS mae_percent,"
                    + " sqrt(avg(error_percent ^ 2)) AS rmse_percent,"
                    + " avg(abs(error_percent)) AS mape_percent,"
                    + " avg(direction_right::int)::float8 AS directional_accuracy,"
                    + " avg(inside_band::int)::float8 AS band_coverage,"
                    + " avg(abs(naive_error_percent)) AS naive_mae_percent,"
                    + " sqrt(avg(naive_error_percent ^ 2)) AS naive_rmse_percent,"
                    + " 1 - avg(abs(error_percent)) / nullif(avg(abs(naive_error_percent)), 0)"
                    + " AS skill";

    private static final String BUCKETED =
            "(SELECT *, CASE WHEN horizon_bars <= 4 THEN '1h' WHEN horizon_bars <= 96 THEN '1d'"
                    + " ELSE '1w' END AS bucket, (target_time AT TIME ZONE 'UTC')::date AS day"
                    + " FROM validations) v";
    private static final String HORIZON_ORDER =
            "array_position(ARRAY['1h', '1d', '1w', 'all'], coalesce(bucket, 'all'))";

    private static BarcastConfig config;
    private static ApiServer server;
    private static ApiClient anonymous;
    private static ApiClient client;
    private static ApiClient premium;
    private static ApiClient admin;
    private static Map<String, String> tablesBefore;

    @BeforeAll
    static void fillTablesAndStart() throws Exception {
        config = PipelineTables.fill(DB, KAFKA, dir, "api");
        server = new ApiServer(TestApiSettings.of(DB, null)).start();
        // every response of this class is checked against the served OpenAPI document
        anonymous =
                new ApiClient(server.url(), null)
                        .validating(OpenApiContract.served(new ApiClient(server.url(), null)));
        ApiKeys keys = new ApiKeys(server.context().db());
        client = anonymous.withKey(keys.create("reader", Tier.DEFAULT).secret());
        premium = anonymous.withKey(keys.create("trader", Tier.PREMIUM).secret());
        admin = anonymous.withKey(keys.create("ops", Tier.ADMIN).secret());
        tablesBefore = fingerprint();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- recommendations

    @Test
    void activeRecommendationsAreTheActiveRowsNewestCreatedFirstOnEveryPage() {
        List<Map<String, Object>> expected =
                DB.query(
                        "SELECT "
                                + RECOMMENDATION_COLUMNS
                                + " FROM recommendations WHERE status = 'active' ORDER BY"
                                + " created_at DESC, recommendation_id DESC");
        assertThat(expected).hasSizeGreaterThan(1);
        assertRows(walk(client, "/api/v1/recommendations", 1), expected);
        assertRows(walk(client, "/api/v1/recommendations", 500), expected);
    }

    @Test
    void activeRecommendationsFilterBySymbolSideAndConfidence() {
        double median =
                ((Number)
                                DB.query(
                                                "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY"
                                                        + " confidence) AS c FROM recommendations"
                                                        + " WHERE status = 'active'")
                                        .get(0)
                                        .get("c"))
                        .doubleValue();
        for (String symbol : SYMBOLS) {
            for (String side : List.of("long", "short")) {
                List<Map<String, Object>> expected =
                        DB.query(
                                "SELECT "
                                        + RECOMMENDATION_COLUMNS
                                        + " FROM recommendations WHERE status = 'active' AND"
                                        + " symbol = ? AND side = ? AND confidence >= ? ORDER BY"
                                        + " created_at DESC, recommendation_id DESC",
                                symbol,
                                side,
                                median);
                assertRows(
                        walk(
                                client,
                                "/api/v1/recommendations?symbols="
                                        + enc(symbol.toLowerCase())
                                        + "&side="
                                        + side
                                        + "&min_confidence="
                                        + median,
                                2),
                        expected);
            }
        }
        // the filters narrow: each symbol alone, and a confidence above every one
        long all = DB.count("SELECT count(*) FROM recommendations WHERE status = 'active'");
        long eth =
                DB.count(
                        "SELECT count(*) FROM recommendations WHERE status = 'active' AND"
                                + " symbol = ?",
                        ETH);
        assertThat(eth).isPositive().isLessThan(all);
        assertThat(walk(client, "/api/v1/recommendations?symbols=" + enc(ETH), 50))
                .hasSize((int) eth);
        assertThat(
                        walk(
                                client,
                                "/api/v1/recommendations?symbols="
                                        + enc(ETH + "," + ETH_EUR)
                                        + "&min_confidence=1",
                                50))
                .hasSize(
                        (int)
                                DB.count(
                                        "SELECT count(*) FROM recommendations WHERE status ="
                                                + " 'active' AND confidence >= 1"));
    }

    @Test
    void recommendationsOfASymbolByStatusOnEveryPage() {
        for (String symbol : SYMBOLS) {
            List<Map<String, Object>> every =
                    DB.query(
                            "SELECT "
                                    + RECOMMENDATION_COLUMNS
                                    + " FROM recommendations WHERE symbol = ? ORDER BY created_at"
                                    + " DESC, recommendation_id DESC",
                            symbol);
            assertThat(every).hasSizeGreaterThan(50);
            assertRows(walk(client, "/api/v1/recommendations/" + enc(symbol), 50), every);
            assertRows(
                    walk(client, "/api/v1/recommendations/" + enc(symbol) + "?status=all", 500),
                    every);
            for (String status : List.of("active", "superseded", "expired")) {
                assertRows(
                        walk(
                                client,
                                "/api/v1/recommendations/" + enc(symbol) + "?status=" + status,
                                17),
                        DB.query(
                                "SELECT "
                                        + RECOMMENDATION_COLUMNS
                                        + " FROM recommendations WHERE symbol = ? AND status = ?"
                                        + " ORDER BY created_at DESC, recommendation_id DESC",
                                symbol,
                                status));
            }
        }
        assertThat(
                        DB.count(
                                "SELECT count(DISTINCT status) FROM recommendations WHERE symbol ="
                                        + " ?",
                                ETH))
                .isGreaterThan(1);
    }

    @Test
    void aSymbolWithoutRowsIsUnknown() {
        assertUnknown(client.get("/api/v1/recommendations/" + enc(UNKNOWN)), "symbol");
        assertUnknown(
                client.get("/api/v1/recommendations?symbols=" + enc(ETH + "," + UNKNOWN)),
                "symbols");
        assertUnknown(client.get("/api/v1/trade-outcomes?symbols=" + enc(UNKNOWN)), "symbols");
        assertUnknown(
                client.get("/api/v1/trade-outcomes/summary?symbols=" + enc(UNKNOWN)), "symbols");
        assertUnknown(client.get("/api/v1/performance?symbols=" + enc(UNKNOWN)), "symbols");
        assertUnknown(client.get("/api/v1/performance/daily?symbol=" + enc(UNKNOWN)), "symbol");
        assertUnknown(client.get("/api/v1/validations/" + enc(UNKNOWN)), "symbol");
        // alerts and dead letters only filter: a symbol without problems has none
        ApiClient.Response alerts = client.get("/api/v1/alerts?symbol=" + enc(UNKNOWN));
        assertThat(alerts.status()).isEqualTo(200);
        assertThat(alerts.json().get("items")).isEmpty();
        ApiClient.Response dead = admin.get("/api/v1/dead-letters?symbol=" + enc(UNKNOWN));
        assertThat(dead.status()).isEqualTo(200);
        assertThat(dead.json().get("items")).isEmpty();
    }

    // ---- trade outcomes

    @Test
    void tradeOutcomesAreEveryRowNewestExitFirstOnEveryPage() {
        List<Map<String, Object>> expected =
                DB.query(
                        "SELECT "
                                + OUTCOME_COLUMNS
                                + " FROM trade_outcomes ORDER BY exit_time DESC,"
                                + " recommendation_id DESC");
        assertThat(expected).hasSizeGreaterThan(50);
        assertRows(walk(client, "/api/v1/trade-outcomes", 50), expected);
        assertRows(walk(client, "/api/v1/trade-outcomes", 7), expected);
    }

    @Test
    void tradeOutcomesFilterBySymbolSideOutcomeAndExitTime() {
        Instant middle = middleOf("SELECT exit_time AS t FROM trade_outcomes");
        int nonEmpty = 0;
        for (String symbol : SYMBOLS) {
            for (String side : List.of("long", "short")) {
                for (String outcome : List.of("target_hit", "stop_hit", "expired", "missed")) {
                    List<Map<String, Object>> expected =
                            DB.query(
                                    "SELECT "
                                            + OUTCOME_COLUMNS
                                            + " FROM trade_outcomes WHERE symbol = ? AND side = ?"
                                            + " AND outcome = ? ORDER BY exit_time DESC,"
                                            + " recommendation_id DESC",
                                    symbol,
                                    side,
                                    outcome);
                    nonEmpty += expected.isEmpty() ? 0 : 1;
                    assertRows(
                            walk(
                                    client,
                                    "/api/v1/trade-outcomes?symbols="
                                            + enc(symbol)
                                            + "&side="
                                            + side
                                            + "&outcome="
                                            + outcome,
                                    3),
                            expected);
                }
            }
        }
        assertThat(nonEmpty).isGreaterThan(3);
        assertRows(
                walk(client, "/api/v1/trade-outcomes?from=" + middle, 10),
                DB.query(
                        "SELECT "
                                + OUTCOME_COLUMNS
                                + " FROM trade_outcomes WHERE exit_time >= ? ORDER BY exit_time"
                                + " DESC, recommendation_id DESC",
                        Timestamp.from(middle)));
        List<Map<String, Object>> before =
                DB.query(
                        "SELECT "
                                + OUTCOME_COLUMNS
                                + " FROM trade_outcomes WHERE exit_time < ? AND symbol = ? ORDER"
                                + " BY exit_time DESC, recommendation_id DESC",
                        Timestamp.from(middle),
                        ETH_EUR);
        assertThat(before).isNotEmpty();
        assertRows(
                walk(
                        client,
                        "/api/v1/trade-outcomes?to=" + middle + "&symbols=" + enc(ETH_EUR),
                        10),
                before);
    }

    @Test
    void tradeSummaryHasTheTradeSuccessViewsFiguresPerSide() {
        String independent =
                "SELECT symbol, side, count(*) AS trades,"
                        + " sum(CASE WHEN outcome = 'target_hit' THEN 1 ELSE 0 END) AS target_hit,"
                        + " sum(CASE WHEN outcome = 'stop_hit' THEN 1 ELSE 0 END) AS stop_hit,"
                        + " sum(CASE WHEN outcome = 'expired' THEN 1 ELSE 0 END) AS expired,"
                        + " sum(CASE WHEN outcome = 'missed' THEN 1 ELSE 0 END) AS missed,"
                        + " sum(CASE WHEN outcome <> 'missed' AND realized_return_percent > 0"
                        + " THEN 1 ELSE 0 END)::float8 / nullif(sum(CASE WHEN outcome <>"
                        + " 'missed' THEN 1 ELSE 0 END), 0) AS success_rate,"
                        + " sum(CASE WHEN outcome <> 'missed' THEN realized_return_percent END)"
                        + " / nullif(sum(CASE WHEN outcome <> 'missed' THEN 1 ELSE 0 END), 0) AS"
                        + " mean_return_percent FROM trade_outcomes %s GROUP BY symbol, side"
                        + " ORDER BY symbol, side";
        List<Map<String, Object>> expected = DB.query(String.format(independent, ""));
        assertThat(expected).hasSize(4);
        ApiClient.Response response = client.get("/api/v1/trade-outcomes/summary");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().has("next_cursor")).as("a listing without pages").isFalse();
        List<JsonNode> items = items(response);
        assertRowsClose(items, expected);

        // per symbol, the sides add up to the trade_success view itself
        for (Map<String, Object> view : DB.query("SELECT * FROM trade_success ORDER BY symbol")) {
            List<JsonNode> sides =
                    items.stream()
                            .filter(i -> i.get("symbol").asText().equals(view.get("symbol")))
                            .toList();
            assertThat(sides.stream().mapToLong(i -> i.get("trades").asLong()).sum())
                    .isEqualTo(((Number) view.get("trades")).longValue());
            assertThat(sides.stream().mapToLong(i -> i.get("missed").asLong()).sum())
                    .isEqualTo(((Number) view.get("missed")).longValue());
            double entered = 0;
            double won = 0;
            double returns = 0;
            for (JsonNode side : sides) {
                long n = side.get("trades").asLong() - side.get("missed").asLong();
                entered += n;
                won += n * side.get("success_rate").asDouble();
                returns += n * side.get("mean_return_percent").asDouble();
            }
            assertThat(won / entered)
                    .isCloseTo(((Number) view.get("success_rate")).doubleValue(), within(CLOSE));
            assertThat(returns / entered)
                    .isCloseTo(
                            ((Number) view.get("mean_return_percent")).doubleValue(),
                            within(CLOSE));
        }

        Instant middle = middleOf("SELECT exit_time AS t FROM trade_outcomes");
        assertRowsClose(
                items(
                        client.get(
                                "/api/v1/trade-outcomes/summary?symbols="
                                        + enc(ETH)
                                        + "&from=2000-01-01&to="
                                        + middle)),
                DB.query(
                        String.format(
                                independent,
                                "WHERE symbol = ? AND exit_time >= '2000-01-01' AND exit_time <"
                                        + " ?"),
                        ETH,
                        Timestamp.from(middle)));
    }

    // ---- performance and validations

    @Test
    void performanceIsTheValidationsFiguresPerSymbolAndHorizon() {
        List<Map<String, Object>> expected = performance("", List.of());
        assertThat(expected).hasSize(8);
        ApiClient.Response response = client.get("/api/v1/performance");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().has("next_cursor")).as("a listing without pages").isFalse();
        assertRowsClose(items(response), expected);

        Instant middle = middleOf("SELECT target_time AS t FROM validations");
        for (String horizon : List.of("1h", "1d", "1w", "all")) {
            List<Map<String, Object>> period =
                    performance(
                            "WHERE symbol = ? AND target_time >= ?",
                            List.of(ETH_EUR, Timestamp.from(middle)));
            period.removeIf(row -> !row.get("horizon").equals(horizon));
            assertThat(period).hasSize(1);
            assertRowsClose(
                    items(
                            client.get(
                                    "/api/v1/performance?symbols="
                                            + enc(ETH_EUR)
                                            + "&horizon="
                                            + horizon
                                            + "&from="
                                            + middle)),
                    period);
        }
        assertRowsClose(
                items(
                        client.get(
                                "/api/v1/performance?symbols="
                                        + enc(ETH + "," + ETH_EUR)
                                        + "&to="
                                        + middle)),
                performance("WHERE target_time < ?", List.of(Timestamp.from(middle))));
    }

    @Test
    void performanceAgreesWithTheJobsOwnAccuracyRows() {
        // the job's row as of a bar is over the newest residual-window points of each step that
        // bars up to it settled; while no step has more, that is every point up to the bar, which
        // the API gives for to = just after the bar
        int window = config.get(ForecastOptions.BAND_RESIDUAL_WINDOW);
        for (String symbol : SYMBOLS) {
            List<Map<String, Object>> rows =
                    DB.query(
                            "SELECT a.* FROM accuracy a WHERE a.symbol = ? AND a.as_of = (SELECT"
                                    + " max(b.as_of) FROM accuracy b WHERE b.symbol = a.symbol"
                                    + " AND b.horizon = 'all' AND NOT EXISTS (SELECT 1 FROM"
                                    + " validations v WHERE v.symbol = b.symbol AND v.target_time"
                                    + " <= b.as_of GROUP BY v.horizon_bars HAVING count(*) > ?))",
                            symbol,
                            window);
            assertThat(rows).hasSizeGreaterThanOrEqualTo(3);
            Instant asOf = ((Timestamp) rows.get(0).get("as_of")).toInstant();
            List<JsonNode> items =
                    items(
                            client.get(
                                    "/api/v1/performance?symbols="
                                            + enc(symbol)
                                            + "&to="
                                            + asOf.plusMillis(1)));
            assertThat(items).hasSameSizeAs(rows);
            for (Map<String, Object> row : rows) {
                JsonNode item =
                        items.stream()
                                .filter(i -> i.get("horizon").asText().equals(row.get("horizon")))
                                .findFirst()
                                .orElseThrow();
                assertThat(((Number) row.get("points")).intValue()).isGreaterThan(10);
                assertThat(item.get("points").asLong())
                        .isEqualTo(((Number) row.get("points")).longValue());
                for (String figure :
                        List.of(
                                "mae_percent",
                                "rmse_percent",
                                "naive_mae_percent",
                                "naive_rmse_percent",
                                "directional_accuracy",
                                "band_coverage",
                                "skill")) {
                    String what = symbol + " " + row.get("horizon") + " " + figure;
                    if (row.get(figure) == null) {
                        assertThat(item.get(figure).isNull()).as(what).isTrue();
                    } else {
                        assertThat(item.get(figure).asDouble())
                                .as(what)
                                .isCloseTo(((Number) row.get(figure)).doubleValue(), within(CLOSE));
                    }
                }
            }
        }
    }

    @Test
    void dailyPerformanceIsTheValidationsFiguresPerUtcDay() {
        for (String symbol : SYMBOLS) {
            List<Map<String, Object>> expected = daily(symbol, "", List.of());
            assertThat(expected).hasSizeGreaterThan(4);
            ApiClient.Response response =
                    client.get("/api/v1/performance/daily?symbol=" + enc(symbol));
            assertThat(response.status()).isEqualTo(200);
            assertRowsClose(items(response), expected);
        }
        Instant middle = middleOf("SELECT target_time AS t FROM validations");
        List<Map<String, Object>> expected =
                daily(ETH, "AND target_time >= ?", List.of(Timestamp.from(middle)));
        expected.removeIf(row -> !row.get("horizon").equals("1d"));
        assertThat(expected).isNotEmpty();
        assertRowsClose(
                items(
                        client.get(
                                "/api/v1/performance/daily?symbol="
                                        + enc(ETH)
                                        + "&horizon=1d&from="
                                        + middle)),
                expected);
    }

    @Test
    void validationsOfASymbolNewestTargetFirstOnEveryPage() {
        for (String symbol : SYMBOLS) {
            List<Map<String, Object>> expected =
                    DB.query(
                            "SELECT "
                                    + VALIDATION_COLUMNS
                                    + " FROM validations WHERE symbol = ? ORDER BY target_time"
                                    + " DESC, validation_id DESC",
                            symbol);
            assertThat(expected).hasSizeGreaterThan(500);
            assertRows(walk(client, "/api/v1/validations/" + enc(symbol), 150), expected);
        }
        Instant middle = middleOf("SELECT target_time AS t FROM validations");
        Instant dayStart = middle.truncatedTo(ChronoUnit.DAYS);
        List<Map<String, Object>> expected =
                DB.query(
                        "SELECT "
                                + VALIDATION_COLUMNS
                                + " FROM validations WHERE symbol = ? AND target_time >= ? AND"
                                + " target_time < ? ORDER BY target_time DESC, validation_id"
                                + " DESC",
                        ETH,
                        Timestamp.from(dayStart),
                        Timestamp.from(middle));
        assertThat(expected).isNotEmpty();
        String day = dayStart.toString().substring(0, 10);
        assertRows(
                walk(
                        client,
                        "/api/v1/validations/" + enc(ETH) + "?from=" + day + "&to=" + middle,
                        500),
                expected);
    }

    // ---- alerts and dead letters

    @Test
    void alertsNewestRaisedFirstWithTheirFilters() {
        String columns = "alert_id, severity, category, symbol, message, raised_at, written_at";
        String order = " ORDER BY raised_at DESC, alert_id DESC";
        List<Map<String, Object>> every = DB.query("SELECT " + columns + " FROM alerts" + order);
        assertThat(every).hasSizeGreaterThan(1);
        assertRows(walk(client, "/api/v1/alerts", 1), every);
        for (String category : List.of("accuracy_drop", "low_confidence", "model")) {
            assertRows(
                    walk(client, "/api/v1/alerts?category=" + category, 1),
                    DB.query(
                            "SELECT " + columns + " FROM alerts WHERE category = ?" + order,
                            category));
        }
        for (String severity : List.of("info", "warning", "critical")) {
            assertRows(
                    walk(client, "/api/v1/alerts?severity=" + severity, 1),
                    DB.query(
                            "SELECT " + columns + " FROM alerts WHERE severity = ?" + order,
                            severity));
        }
        for (String symbol : SYMBOLS) {
            List<Map<String, Object>> ofSymbol =
                    DB.query("SELECT " + columns + " FROM alerts WHERE symbol = ?" + order, symbol);
            assertThat(ofSymbol).isNotEmpty().hasSizeLessThan(every.size());
            assertRows(
                    walk(client, "/api/v1/alerts?symbol=" + enc(symbol.toLowerCase()), 1),
                    ofSymbol);
        }
        Instant newest = ((Timestamp) every.get(0).get("raised_at")).toInstant();
        assertRows(
                walk(client, "/api/v1/alerts?since=" + newest + "&severity=warning", 1),
                DB.query(
                        "SELECT "
                                + columns
                                + " FROM alerts WHERE raised_at >= ? AND severity = 'warning'"
                                + order,
                        Timestamp.from(newest)));
        assertThat(walk(client, "/api/v1/alerts?since=" + newest.plusMillis(1), 1)).isEmpty();
    }

    @Test
    void deadLettersAreForTheAdminTierOnly() {
        for (ApiClient caller : List.of(client, premium)) {
            ApiClient.Response refused = caller.get("/api/v1/dead-letters");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.body()).doesNotContain("payload");
        }
        assertThat(anonymous.get("/api/v1/dead-letters").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/dead-letters").status()).isEqualTo(200);
    }

    @Test
    void deadLettersNewestFirstWithTheirFilters() {
        String columns =
                "dead_letter_id, symbol, stage, reason, event_time, payload, first_seen_at";
        // first_seen_at is in microseconds, the order in milliseconds (then the id)
        String order =
                " ORDER BY date_trunc('milliseconds', first_seen_at) DESC, dead_letter_id DESC";
        List<Map<String, Object>> every =
                DB.query("SELECT " + columns + " FROM dead_letters" + order);
        assertThat(every).hasSizeGreaterThan(3);
        assertRows(walk(admin, "/api/v1/dead-letters", 2), every);
        for (Map<String, Object> stage :
                DB.query("SELECT DISTINCT stage FROM dead_letters ORDER BY stage")) {
            assertRows(
                    walk(admin, "/api/v1/dead-letters?stage=" + stage.get("stage"), 2),
                    DB.query(
                            "SELECT " + columns + " FROM dead_letters WHERE stage = ?" + order,
                            stage.get("stage")));
        }
        List<Map<String, Object>> eth =
                DB.query("SELECT " + columns + " FROM dead_letters WHERE symbol = ?" + order, ETH);
        assertThat(eth).isNotEmpty().hasSizeLessThan(every.size());
        assertRows(walk(admin, "/api/v1/dead-letters?symbol=" + enc(ETH), 2), eth);
        Instant oldest = ((Timestamp) every.get(every.size() - 1).get("first_seen_at")).toInstant();
        assertRows(walk(admin, "/api/v1/dead-letters?since=" + oldest, 500), every);
        assertThat(items(admin.get("/api/v1/dead-letters?since=2099-12-31"))).isEmpty();
    }

    // ---- keys and bad input

    @Test
    void everyEndpointNeedsAKey() {
        for (String path :
                List.of(
                        "/api/v1/recommendations",
                        "/api/v1/recommendations/" + enc(ETH),
                        "/api/v1/trade-outcomes",
                        "/api/v1/trade-outcomes/summary",
                        "/api/v1/performance",
                        "/api/v1/performance/daily?symbol=" + enc(ETH),
                        "/api/v1/validations/" + enc(ETH),
                        "/api/v1/alerts")) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(401);
            assertThat(client.get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void badInputIsAProblemNamingItsParameter() {
        String injection = enc("X:ETHUSD'; DROP TABLE validations; --");
        String huge = "A".repeat(10 * 1024);
        Map<String, String> cases = new LinkedHashMap<>();
        for (String listing :
                List.of(
                        "/api/v1/recommendations",
                        "/api/v1/trade-outcomes",
                        "/api/v1/trade-outcomes/summary",
                        "/api/v1/performance")) {
            cases.put(listing + "?symbols=" + injection, "symbols");
            cases.put(listing + "?symbols=X%00Y", "symbols");
            cases.put(listing + "?symbols=" + huge, "symbols");
            cases.put(listing + "?symbols=" + "A,".repeat(100) + "B", "symbols");
        }
        for (String path :
                List.of("/api/v1/recommendations/", "/api/v1/validations/", "/api/v1/bars/")) {
            cases.put(path + injection.replace("+", "%20"), "symbol");
            cases.put(path + huge, "symbol");
        }
        for (String single :
                List.of("/api/v1/performance/daily", "/api/v1/alerts", "/api/v1/dead-letters")) {
            cases.put(single + "?symbol=" + injection, "symbol");
            cases.put(single + "?symbol=%00", "symbol");
            cases.put(single + "?symbol=" + huge, "symbol");
        }
        cases.put("/api/v1/performance/daily", "symbol");
        cases.put("/api/v1/performance/daily?symbol=" + enc(ETH) + "&from=" + huge, "from");
        cases.put("/api/v1/performance/daily?symbol=" + enc(ETH) + "&horizon=2h", "horizon");
        cases.put("/api/v1/performance?horizon=ALL", "horizon");
        cases.put("/api/v1/performance?from=2023-02-30", "from");
        cases.put("/api/v1/performance?to=yesterday", "to");
        cases.put("/api/v1/trade-outcomes?from=2023-03-14T25:00:00Z", "from");
        cases.put("/api/v1/trade-outcomes/summary?to=" + huge, "to");
        cases.put("/api/v1/validations/" + enc(ETH) + "?from=1969-12-31", "from");
        cases.put("/api/v1/alerts?since=%00", "since");
        cases.put("/api/v1/dead-letters?since=2023-03-14T12:00:00", "since");
        for (String paged :
                List.of(
                        "/api/v1/recommendations?",
                        "/api/v1/recommendations/" + enc(ETH) + "?",
                        "/api/v1/trade-outcomes?",
                        "/api/v1/validations/" + enc(ETH) + "?",
                        "/api/v1/bars/" + enc(ETH) + "?",
                        "/api/v1/alerts?",
                        "/api/v1/dead-letters?")) {
            cases.put(paged + "limit=0", "limit");
            cases.put(paged + "limit=501", "limit");
            cases.put(paged + "limit=ten", "limit");
            cases.put(paged + "cursor=" + injection, "cursor");
            cases.put(paged + "cursor=" + huge, "cursor");
        }
        cases.put("/api/v1/recommendations?side=sideways", "side");
        cases.put("/api/v1/recommendations?min_confidence=1.5", "min_confidence");
        cases.put("/api/v1/recommendations?min_confidence=NaN", "min_confidence");
        cases.put("/api/v1/recommendations/" + enc(ETH) + "?status=open", "status");
        cases.put("/api/v1/trade-outcomes?outcome=win", "outcome");
        cases.put("/api/v1/trade-outcomes?side=LONG", "side");
        cases.put("/api/v1/alerts?category=weather", "category");
        cases.put("/api/v1/alerts?severity=fatal", "severity");
        cases.put("/api/v1/dead-letters?stage=" + injection, "stage");
        cases.put("/api/v1/alerts?limt=5", "limt");
        cases.put("/api/v1/bars/" + enc(ETH) + "?order=NEWEST", "order");
        cases.put("/api/v1/bars/" + enc(ETH) + "?from=2023-03-14&to=2023-03-14", "to");
        cases.put("/api/v1/bars/" + enc(ETH) + "?cursor=" + enc("MTcwMDAwMDAwMDAwMA:x"), "cursor");
        cases.put("/api/v1/bars/" + enc(ETH) + "?symbol=" + enc(ETH), "symbol");
        cases.put("/api/v1/performance?symbols=" + enc(ETH) + "&symbols=" + enc(ETH), "symbols");

        for (Map.Entry<String, String> c : cases.entrySet()) {
            ApiClient caller = c.getKey().startsWith("/api/v1/dead-letters") ? admin : client;
            ApiClient.Response response = caller.get(c.getKey());
            String what = abbreviate(c.getKey()) + " -> " + abbreviate(response.toString());
            assertThat(response.status()).as(what).isBetween(400, 499);
            assertThat(response.header("Content-Type"))
                    .as(what)
                    .startsWith("application/problem+json");
            assertThat(response.json().path("parameter").asText()).as(what).isEqualTo(c.getValue());
            assertThat(response.body().length()).as(what).isLessThan(2_000);
        }
        // Jetty refuses a NUL in a path itself, before any route (and so any parameter) is
        // matched; the answer is still a problem
        for (String path : List.of("/api/v1/recommendations/X%00Y", "/api/v1/validations/X%00Y")) {
            ApiClient.Response response = client.get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("status").asInt()).isEqualTo(400);
        }
    }

    // ---- bars

    private static final String BAR_COLUMNS =
            "symbol, bar_time, open, high, low, close, volume, vwap, trades, updated_at";

    @Test
    void barsAreTheTablesRowsNewestOrOldestFirstOnEveryPage() {
        for (String symbol : SYMBOLS) {
            List<Map<String, Object>> newest =
                    DB.query(
                            "SELECT "
                                    + BAR_COLUMNS
                                    + " FROM bars WHERE symbol = ? ORDER BY bar_time DESC",
                            symbol);
            assertThat(newest).hasSizeGreaterThan(100);
            assertRows(walk(client, "/api/v1/bars/" + enc(symbol), 500), newest);
            List<Map<String, Object>> oldest = new ArrayList<>(newest);
            Collections.reverse(oldest);
            assertRows(
                    walk(client, "/api/v1/bars/" + enc(symbol.toLowerCase()) + "?order=oldest", 97),
                    oldest);
        }
        // a period, both ways; the first page without a limit holds 50
        Instant from = middleOf("SELECT bar_time AS t FROM bars WHERE symbol = 'X:ETHEUR'");
        Instant to = from.plus(2, ChronoUnit.DAYS);
        List<Map<String, Object>> period =
                DB.query(
                        "SELECT "
                                + BAR_COLUMNS
                                + " FROM bars WHERE symbol = ? AND bar_time >= ? AND bar_time < ?"
                                + " ORDER BY bar_time",
                        ETH_EUR,
                        Timestamp.from(from),
                        Timestamp.from(to));
        assertThat(period).hasSizeGreaterThan(50);
        String bars = "/api/v1/bars/" + enc(ETH_EUR) + "?from=" + from + "&to=" + to;
        assertRows(walk(client, bars + "&order=oldest", 30), period);
        List<Map<String, Object>> backwards = new ArrayList<>(period);
        Collections.reverse(backwards);
        assertRows(walk(client, bars, 30), backwards);
        assertRows(items(client.get(bars)), backwards.subList(0, 50));
        // a period without bars of a known symbol is empty, not unknown
        assertThat(items(client.get("/api/v1/bars/" + enc(ETH) + "?to=1999-01-01"))).isEmpty();
    }

    @Test
    void barsNeedAKeyAndAKnownSymbol() {
        assertThat(anonymous.get("/api/v1/bars/" + enc(ETH)).status()).isEqualTo(401);
        assertUnknown(client.get("/api/v1/bars/" + enc(UNKNOWN)), "symbol");
    }

    @Test
    void aRequestBeyondJettysLimitIsStillAProblem() {
        ApiClient.Response response =
                client.get("/api/v1/recommendations?symbols=" + "A".repeat(40 * 1024));
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
        assertThat(response.body()).doesNotContain("AAAA");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theTablesAreAsTheJobLeftThem() {
        assertThat(fingerprint()).isEqualTo(tablesBefore);
    }

    // ---- helpers

    /** Every item of a listing, page by page; each page checked against the limit. */
    private static List<JsonNode> walk(ApiClient caller, String path, int limit) {
        String base = path + (path.contains("?") ? "&" : "?") + "limit=" + limit;
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiClient.Response response =
                    caller.get(base + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.status()).as(path + " " + response).isEqualTo(200);
            JsonNode body = response.json();
            assertThat(body.has("next_cursor")).isTrue();
            List<JsonNode> page = items(response);
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            JsonNode next = body.get("next_cursor");
            cursor = next.isNull() ? null : next.asText();
            if (cursor != null) {
                assertThat(page).as("a page before the last is full").hasSize(limit);
            }
            all.addAll(page);
            assertThat(++pages).as("pages of " + path).isLessThan(10_000);
        } while (cursor != null);
        return all;
    }

    private static List<JsonNode> items(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("items").forEach(items::add);
        return items;
    }

    /** Items equal the rows, in order, field by field, and have no other fields. */
    private static void assertRows(List<JsonNode> items, List<Map<String, Object>> rows) {
        compare(items, rows, 0);
    }

    /** The same, numbers within {@link #CLOSE}. */
    private static void assertRowsClose(List<JsonNode> items, List<Map<String, Object>> rows) {
        compare(items, rows, CLOSE);
    }

    private static void compare(
            List<JsonNode> items, List<Map<String, Object>> rows, double tolerance) {
        assertThat(items).as("items").hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode item = items.get(i);
            Map<String, Object> row = rows.get(i);
            Set<String> fields = new LinkedHashSet<>();
            for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                fields.add(names.next());
            }
            assertThat(fields).as("fields of item " + i).isEqualTo(row.keySet());
            for (Map.Entry<String, Object> column : row.entrySet()) {
                JsonNode value = item.get(column.getKey());
                Object expected = column.getValue();
                String what = "item " + i + " " + column.getKey() + " of " + row;
                if (expected == null) {
                    assertThat(value.isNull()).as(what).isTrue();
                } else if (expected instanceof Timestamp time) {
                    assertThat(Instant.parse(value.asText())).as(what).isEqualTo(time.toInstant());
                } else if (expected instanceof Date day) {
                    assertThat(value.asText()).as(what).isEqualTo(day.toString());
                } else if (expected instanceof Double || expected instanceof BigDecimal) {
                    assertThat(value.isNumber()).as(what).isTrue();
                    assertThat(value.asDouble())
                            .as(what)
                            .isCloseTo(((Number) expected).doubleValue(), within(tolerance));
                } else if (expected instanceof Number number) {
                    assertThat(value.isIntegralNumber()).as(what).isTrue();
                    assertThat(value.asLong()).as(what).isEqualTo(number.longValue());
                } else if (expected instanceof Boolean flag) {
                    assertThat(value.isBoolean() && value.asBoolean() == flag).as(what).isTrue();
                } else {
                    assertThat(value.asText()).as(what).isEqualTo(expected.toString());
                }
            }
        }
    }

    /** The performance figures per symbol and horizon, by SQL over the validations. */
    private static List<Map<String, Object>> performance(String where, List<Object> args) {
        return DB.query(
                "SELECT symbol, coalesce(bucket, 'all') AS horizon, "
                        + FIGURES
                        + " FROM "
                        + BUCKETED
                        + " "
                        + where
                        + " GROUP BY GROUPING SETS ((symbol, bucket), (symbol)) ORDER BY symbol, "
                        + HORIZON_ORDER,
                args.toArray());
    }

    /** The figures per UTC day and horizon of one symbol, by SQL over the validations. */
    private static List<Map<String, Object>> daily(String symbol, String and, List<Object> args) {
        List<Object> all = new ArrayList<>();
        all.add(symbol);
        all.addAll(args);
        return DB.query(
                "SELECT day, coalesce(bucket, 'all') AS horizon, "
                        + FIGURES
                        + " FROM "
                        + BUCKETED
                        + " WHERE symbol = ? "
                        + and
                        + " GROUP BY GROUPING SETS ((day, bucket), (day)) ORDER BY day DESC, "
                        + HORIZON_ORDER,
                all.toArray());
    }

    /** The median of a time column: a period bound that splits the rows. */
    private static Instant middleOf(String selectT) {
        Timestamp t =
                (Timestamp)
                        DB.query(
                                        "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t) AS m"
                                                + " FROM ("
                                                + selectT
                                                + ") x")
                                .get(0)
                                .get("m");
        return t.toInstant();
    }

    private static void assertUnknown(ApiClient.Response response, String parameter) {
        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("parameter").asText()).isEqualTo(parameter);
        assertThat(response.json().get("detail").asText()).contains(UNKNOWN);
    }

    /** Each table's row count and a digest of its rows. */
    private static Map<String, String> fingerprint() {
        Map<String, String> digests = new LinkedHashMap<>();
        for (Map<String, Object> table :
                DB.query(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY"
                                + " tablename")) {
            String name = (String) table.get("tablename");
            if (name.equals("rate_limit_buckets")) {
                // the API's own bookkeeping: every call takes from its caller's bucket
                continue;
            }
            Map<String, Object> digest =
                    DB.query(
                                    "SELECT count(*) AS n, md5(coalesce(string_agg(md5(t::text), ','"
                                            + " ORDER BY md5(t::text)), '')) AS d FROM public.\""
                                            + name
                                            + "\" t")
                            .get(0);
            digests.put(name, digest.get("n") + " " + digest.get("d"));
        }
        assertThat(digests).containsKeys("validations", "recommendations", "dead_letters");
        return digests;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
