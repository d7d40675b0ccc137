package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelSpec;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecast, status and models endpoints over sink tables the real pipeline filled from real ETH
 * bars ({@link PipelineTables}): every answer equals what SQL over the same tables says, field by
 * field; filters, paging, as_of and ETags behave; hostile input is refused naming the parameter and
 * changes no table.
 */
class ApiForecastsITCase {

    private static final OpenApiContract CONTRACT = OpenApiContract.shipped();

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final ObjectMapper JSON = Json.newMapper();
    private static final Path MODELS = Path.of("..", "models");

    private static final String SUMMARY_SQL =
            """
            SELECT prediction_id, symbol, as_of, reason, model_folder, model_name, model_version,
                   last_close, horizon_end, path_prices[array_upper(path_prices, 1)] AS final_price,
                   confidence, confidence_level, predicted_at, path_lower IS NULL AS no_band,
                   band_method, band_coverage, confidence_decay, confidence_factors::text AS factors,
                   batch_size, inference_micros, received_at
            FROM predictions
            """;

    /** Each symbol's newest forecast: latest bar first, then the one made last. */
    private static final String LATEST_SQL =
            "SELECT * FROM ("
                    + SUMMARY_SQL
                    + ") p WHERE prediction_id IN (SELECT DISTINCT ON (symbol) prediction_id"
                    + " FROM predictions ORDER BY symbol, as_of DESC, predicted_at DESC,"
                    + " prediction_id DESC) ORDER BY symbol";

    private static final Set<String> SUMMARY_FIELDS =
            Set.of(
                    "prediction_id",
                    "symbol",
                    "as_of",
                    "reason",
                    "model_folder",
                    "model_name",
                    "model_version",
                    "last_close",
                    "horizon_end",
                    "final_price",
                    "expected_return_percent",
                    "confidence",
                    "confidence_level",
                    "predicted_at");

    @TempDir static Path dir;

    private static String defaultKey;
    private static ApiServer server;
    private static ApiClient api;

    @BeforeAll
    static void fillTablesAndStart(@InjectClusterClient RestClusterClient<?> cluster)
            throws Exception {
        PipelineTables.fill(DB, KAFKA, dir, "api");
        server = start(settings(cluster.getWebInterfaceURL(), MODELS, Duration.ofHours(1)));
        defaultKey = new ApiKeys(server.context().db()).create("bot", Tier.DEFAULT).secret();
        api = client(server.url(), defaultKey);
        assertThat(DB.count("SELECT count(DISTINCT symbol) FROM predictions"))
                .as("the pipeline wrote forecasts of both symbols")
                .isEqualTo(2);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- GET /api/v1/predictions

    @Test
    void latestListsEachSymbolsNewestForecastAsSqlSays() {
        ApiClient.Response response = api.get("/api/v1/predictions");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode page = response.json();
        assertThat(fieldNames(page)).containsExactlyInAnyOrder("items", "next_cursor");
        assertThat(page.get("next_cursor").isNull()).isTrue();
        List<Map<String, Object>> expected = DB.query(LATEST_SQL);
        assertThat(page.get("items")).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSummary(page.get("items").get(i), expected.get(i));
        }
    }

    @Test
    void latestFiltersBySymbolsConfidenceAndLevel() {
        List<Map<String, Object>> latest = DB.query(LATEST_SQL);
        assertThat(ids(api.get("/api/v1/predictions?symbols=x:ethusd,X:NOPE").json()))
                .containsExactly(idOf(latest, PipelineTables.ETH));
        assertThat(ids(api.get("/api/v1/predictions?symbols=X:ETHUSD,X:ETHEUR,X:ETHUSD").json()))
                .containsExactlyElementsOf(latest.stream().map(r -> uuid(r)).toList());

        double highest =
                latest.stream().mapToDouble(r -> (Double) r.get("confidence")).max().orElseThrow();
        for (double threshold : new double[] {0, highest, Math.nextUp(highest), 1}) {
            List<String> expected =
                    latest.stream()
                            .filter(r -> (Double) r.get("confidence") >= threshold)
                            .map(ApiForecastsITCase::uuid)
                            .toList();
            JsonNode page = api.get("/api/v1/predictions?min_confidence=" + threshold).json();
            assertThat(ids(page)).as("min_confidence " + threshold).isEqualTo(expected);
        }
        assertThat(ids(api.get("/api/v1/predictions?min_confidence=" + highest).json()))
                .isNotEmpty();

        for (String level : List.of("very_low", "low", "medium", "high", "very_high")) {
            List<String> expected =
                    latest.stream()
                            .filter(r -> level.equals(r.get("confidence_level")))
                            .map(ApiForecastsITCase::uuid)
                            .toList();
            assertThat(ids(api.get("/api/v1/predictions?level=" + level).json()))
                    .as("level " + level)
                    .isEqualTo(expected);
        }
        String level = (String) latest.get(0).get("confidence_level");
        assertThat(ids(api.get("/api/v1/predictions?level=" + level).json())).isNotEmpty();
    }

    @Test
    void latestPagesWalkEverySymbolOnceInOrder() {
        List<String> expected =
                DB.query(LATEST_SQL).stream().map(r -> (String) r.get("symbol")).toList();
        for (String query : List.of("", "&symbols=X:ETHEUR,X:ETHUSD,X:NOPE", "&min_confidence=0")) {
            List<String> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page =
                        api.get(
                                        "/api/v1/predictions?limit=1"
                                                + query
                                                + (cursor == null ? "" : "&cursor=" + cursor))
                                .json();
                assertThat(page.get("items").size()).isLessThanOrEqualTo(1);
                page.get("items").forEach(item -> walked.add(item.get("symbol").asText()));
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(walked).as("symbols walked with" + query).isEqualTo(expected);
        }
    }

    // ---- GET /api/v1/predictions/{symbol}

    @Test
    void newestIsTheFullForecastAsSqlSays() {
        for (Map<String, Object> row : DB.query(LATEST_SQL)) {
            ApiClient.Response response = api.get("/api/v1/predictions/" + row.get("symbol"));
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertFull(response.json(), row);
        }
    }

    @Test
    void asOfPicksTheNewestForecastAtOrBeforeIt() {
        List<Map<String, Object>> history =
                DB.query(
                        SUMMARY_SQL
                                + " WHERE symbol = ? ORDER BY as_of DESC, predicted_at DESC,"
                                + " prediction_id DESC",
                        PipelineTables.ETH);
        Map<String, Object> middle = history.get(history.size() / 2);
        Instant asOf = instant(middle.get("as_of"));
        String path = "/api/v1/predictions/" + PipelineTables.ETH + "?as_of=";

        JsonNode exact = api.get(path + asOf).json();
        assertFull(exact, middle);
        // between two bars: still the forecast of the bar before
        assertThat(api.get(path + asOf.plusSeconds(7 * 60)).json().get("prediction_id").asText())
                .isEqualTo(middle.get("prediction_id").toString());

        String day = asOf.toString().substring(0, 10);
        Map<String, Object> beforeDay =
                history.stream()
                        .filter(
                                r ->
                                        !instant(r.get("as_of"))
                                                .isAfter(Instant.parse(day + "T00:00:00Z")))
                        .findFirst()
                        .orElseThrow();
        assertThat(api.get(path + day).json().get("prediction_id").asText())
                .as("a date is its start in UTC")
                .isEqualTo(beforeDay.get("prediction_id").toString());

        Instant first = instant(history.get(history.size() - 1).get("as_of"));
        ApiClient.Response tooEarly = api.get(path + first.minusSeconds(1));
        assertProblem(tooEarly, 404, null);
        assertThat(tooEarly.json().get("title").asText()).isEqualTo("Not found");
    }

    @Test
    void anUnknownSymbolIsA404Problem() {
        for (String path :
                List.of(
                        "/api/v1/predictions/X:NOPEUSD",
                        "/api/v1/predictions/X:NOPEUSD?as_of=2023-03-14",
                        "/api/v1/predictions/X:NOPEUSD/history",
                        "/api/v1/predictions/X:NOPEUSD/history?from=2023-03-14")) {
            ApiClient.Response response = api.get(path);
            assertProblem(response, 404, "symbol");
            assertThat(response.json().get("title").asText()).isEqualTo("Unknown symbol");
            assertThat(response.json().get("detail").asText()).contains("X:NOPEUSD");
        }
    }

    @Test
    void anUnchangedForecastAnswers304ToItsETag() {
        String path = "/api/v1/predictions/" + PipelineTables.ETH_EUR;
        ApiClient.Response first = api.get(path);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            ApiClient.Response again =
                    api.send(api.request(path).header("If-None-Match", ifNoneMatch));
            assertThat(again.status()).as(ifNoneMatch).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(again.header("ETag")).isEqualTo(etag);
        }
        ApiClient.Response other =
                api.send(api.request(path).header("If-None-Match", "\"not-this-one\""));
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.json()).isEqualTo(first.json());

        // another forecast (as_of) has another tag
        Instant older = Instant.parse(first.json().get("as_of").asText()).minusSeconds(900);
        String olderTag = api.get(path + "?as_of=" + older).header("ETag");
        assertThat(olderTag).isNotEqualTo(etag);
        assertThat(
                        api.send(
                                        api.request(path + "?as_of=" + older)
                                                .header("If-None-Match", etag))
                                .status())
                .isEqualTo(200);

        // the job rewrites a row when its content changes: a new tag, a 200 again
        DB.execute(
                "UPDATE predictions SET written_at = written_at + interval '1 second'"
                        + " WHERE prediction_id = ?",
                UUID.fromString(first.json().get("prediction_id").asText()));
        ApiClient.Response rewritten = api.send(api.request(path).header("If-None-Match", etag));
        assertThat(rewritten.status()).isEqualTo(200);
        assertThat(rewritten.header("ETag")).isNotEqualTo(etag);
    }

    // ---- GET /api/v1/predictions/{symbol}/history

    @Test
    void historyListsTheForecastsNewestFirstAsSqlSays() {
        for (String symbol : List.of(PipelineTables.ETH, PipelineTables.ETH_EUR)) {
            List<Map<String, Object>> expected =
                    DB.query(
                            SUMMARY_SQL
                                    + " WHERE symbol = ? ORDER BY as_of DESC, prediction_id DESC",
                            symbol);
            JsonNode page = api.get("/api/v1/predictions/" + symbol + "/history?limit=500").json();
            assertThat(page.get("next_cursor").isNull()).isTrue();
            assertThat(page.get("items")).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSummary(page.get("items").get(i), expected.get(i));
            }
            assertThat(api.get("/api/v1/predictions/" + symbol + "/history").json().get("items"))
                    .as("50 by default")
                    .hasSize(Math.min(50, expected.size()));
        }
    }

    @Test
    void historyKeepsFromInclusiveAndToExclusive() {
        List<Instant> asOfs =
                DB
                        .query(
                                "SELECT as_of FROM predictions WHERE symbol = ? ORDER BY as_of",
                                PipelineTables.ETH)
                        .stream()
                        .map(r -> instant(r.get("as_of")))
                        .toList();
        Instant from = asOfs.get(20);
        Instant to = asOfs.get(asOfs.size() - 10);
        List<String> expected =
                DB
                        .query(
                                "SELECT prediction_id FROM predictions WHERE symbol = ?"
                                        + " AND as_of >= ? AND as_of < ?"
                                        + " ORDER BY as_of DESC, prediction_id DESC",
                                PipelineTables.ETH,
                                Timestamp.from(from),
                                Timestamp.from(to))
                        .stream()
                        .map(r -> r.get("prediction_id").toString())
                        .toList();
        JsonNode page =
                api.get(
                                "/api/v1/predictions/"
                                        + PipelineTables.ETH
                                        + "/history?limit=500&from="
                                        + from
                                        + "&to="
                                        + to)
                        .json();
        assertThat(ids(page)).isEqualTo(expected);
        JsonNode items = page.get("items");
        assertThat(Instant.parse(items.get(items.size() - 1).get("as_of").asText()))
                .isEqualTo(from);
        assertThat(Instant.parse(items.get(0).get("as_of").asText())).isBefore(to);

        // dates are their start in UTC
        String day = from.toString().substring(0, 10);
        long sinceDay =
                DB.count(
                        "SELECT count(*) FROM predictions WHERE symbol = ? AND as_of >= ?",
                        PipelineTables.ETH,
                        Timestamp.from(Instant.parse(day + "T00:00:00Z")));
        assertThat(
                        api.get(
                                        "/api/v1/predictions/"
                                                + PipelineTables.ETH
                                                + "/history?limit=500&from="
                                                + day)
                                .json()
                                .get("items"))
                .hasSize((int) sinceDay);

        // a window without forecasts of a known symbol is an empty page, not a 404
        JsonNode empty =
                api.get("/api/v1/predictions/" + PipelineTables.ETH + "/history?to=2020-01-01")
                        .json();
        assertThat(empty.get("items")).isEmpty();
        assertThat(empty.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void historyPagesWalkEveryForecastOnceInOrder() {
        for (String window : List.of("", "&from=2023-03-14&to=2023-03-15T12:00:00Z")) {
            List<String> expected =
                    DB
                            .query(
                                    "SELECT prediction_id FROM predictions WHERE symbol = ?"
                                            + (window.isEmpty()
                                                    ? ""
                                                    : " AND as_of >= '2023-03-14T00:00:00Z'"
                                                            + " AND as_of < '2023-03-15T12:00:00Z'")
                                            + " ORDER BY as_of DESC, prediction_id DESC",
                                    PipelineTables.ETH_EUR)
                            .stream()
                            .map(r -> r.get("prediction_id").toString())
                            .toList();
            assertThat(expected).hasSizeGreaterThan(7);
            List<String> walked = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page =
                        api.get(
                                        "/api/v1/predictions/"
                                                + PipelineTables.ETH_EUR
                                                + "/history?limit=7"
                                                + window
                                                + (cursor == null ? "" : "&cursor=" + cursor))
                                .json();
                assertThat(page.get("items").size()).isLessThanOrEqualTo(7);
                walked.addAll(ids(page));
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            } while (cursor != null && walked.size() <= expected.size());
            assertThat(walked).as("window" + window).isEqualTo(expected);
        }
    }

    // ---- POST /api/v1/predictions/batch

    @Test
    void batchAnswersEachSymbolsLatestInTheOrderAsked() {
        Map<String, Map<String, Object>> latest = new TreeMap<>();
        DB.query(LATEST_SQL).forEach(r -> latest.put((String) r.get("symbol"), r));
        ApiClient.Response response =
                api.post(
                        "/api/v1/predictions/batch",
                        "{\"symbols\": [\"X:ETHUSD\", \"X:NOPEUSD\", \"x:etheur\", \"X:ETHUSD\","
                                + " \"X:NOPEEUR\"]}");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("items", "facts");
        assertThat(body.get("items")).hasSize(2);
        assertSummary(body.get("items").get(0), latest.get(PipelineTables.ETH));
        assertSummary(body.get("items").get(1), latest.get(PipelineTables.ETH_EUR));
        JsonNode facts = body.get("facts");
        assertThat(fieldNames(facts))
                .containsExactlyInAnyOrder("requested", "found", "stale", "unknown", "took_ms");
        assertThat(facts.get("requested").asInt()).isEqualTo(4);
        assertThat(facts.get("found").asInt()).isEqualTo(2);
        assertThat(facts.get("unknown"))
                .extracting(JsonNode::asText)
                .containsExactly("X:NOPEUSD", "X:NOPEEUR");
        assertThat(facts.get("took_ms").asLong()).isBetween(0L, 30_000L);
    }

    @Test
    void batchInFullGivesWhatTheSymbolEndpointGives() {
        JsonNode body =
                api.post(
                                "/api/v1/predictions/batch",
                                "{\"symbols\": [\"X:ETHEUR\", \"X:ETHUSD\"], \"detail\": \"full\"}")
                        .json();
        assertThat(body.get("items")).hasSize(2);
        assertThat(body.get("items").get(0))
                .isEqualTo(api.get("/api/v1/predictions/X:ETHEUR").json());
        assertThat(body.get("items").get(1))
                .isEqualTo(api.get("/api/v1/predictions/X:ETHUSD").json());
        JsonNode summary =
                api.post(
                                "/api/v1/predictions/batch",
                                "{\"symbols\": [\"X:ETHEUR\"], \"detail\": \"summary\"}")
                        .json();
        assertThat(fieldNames(summary.get("items").get(0)))
                .containsExactlyInAnyOrderElementsOf(SUMMARY_FIELDS);
    }

    @Test
    void batchCountsForecastsMadeLongerAgoThanStaleAfterAsStale() {
        String batch = "{\"symbols\": [\"X:ETHUSD\", \"X:ETHEUR\"]}";
        Map<String, Object> eur = DB.query(LATEST_SQL + " LIMIT 1").get(0);
        assertThat(eur.get("symbol")).isEqualTo(PipelineTables.ETH_EUR);
        Timestamp madeAt = (Timestamp) eur.get("predicted_at");
        // the replay ran just now, so its forecasts are fresh; make one of them two hours old
        DB.execute(
                "UPDATE predictions SET predicted_at = predicted_at - interval '2 hours'"
                        + " WHERE prediction_id = ?",
                eur.get("prediction_id"));
        try (ApiServer century = start(settings(null, MODELS, Duration.ofDays(36_500)));
                ApiServer zero = start(settings(null, MODELS, Duration.ZERO))) {
            assertThat(staleOf(api, batch)).as("1 h, the default").isEqualTo(1);
            assertThat(staleOf(client(century.url(), defaultKey), batch))
                    .as("a hundred years")
                    .isEqualTo(0);
            assertThat(staleOf(client(zero.url(), defaultKey), batch)).as("zero").isEqualTo(2);
        } finally {
            DB.execute(
                    "UPDATE predictions SET predicted_at = ? WHERE prediction_id = ?",
                    madeAt,
                    eur.get("prediction_id"));
        }
        assertThat(staleOf(api, batch)).isEqualTo(0);
    }

    @Test
    void batchRefusesBadBodiesNamingTheField() {
        Map<String, Long> before = rowCounts();
        String tooMany =
                "{\"symbols\": ["
                        + String.join(
                                ",",
                                java.util.stream.IntStream.rangeClosed(1, 101)
                                        .mapToObj(i -> "\"S" + i + "\"")
                                        .toList())
                        + "]}";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{\"symbols\": [\"X:ETHUSD\"", "body");
        bodies.put("{symbols: [\"X:ETHUSD\"]}", "body");
        bodies.put("[\"X:ETHUSD\"]", "body");
        bodies.put("", "body");
        bodies.put("null", "body");
        bodies.put("{\"symbols\": [\"X:ETHUSD\"]} trailing", "body");
        bodies.put("{\"symbols\": [\"A\", \"B\", \"C\", 4]}", "symbols[3]");
        bodies.put("{\"symbols\": \"X:ETHUSD\"}", "symbols");
        bodies.put("{\"symbols\": [[\"X:ETHUSD\"]]}", "symbols[0]");
        bodies.put("{\"symbols\": [\"X:ETHUSD\"], \"detail\": 1}", "detail");
        bodies.put("{\"symbols\": [\"X:ETHUSD\"], \"detail\": \"partial\"}", "detail");
        bodies.put("{\"symbols\": [\"X:ETHUSD\"], \"limit\": 5}", "limit");
        bodies.put("{}", "symbols");
        bodies.put("{\"symbols\": []}", "symbols");
        bodies.put(tooMany, "symbols");
        bodies.put(
                "{\"symbols\": [\"A\", \"B\", \"C\", \"X';DROP TABLE predictions;--\"]}",
                "symbols[3]");
        bodies.put("{\"symbols\": [\"A\", \"B\\u0000\"]}", "symbols[1]");
        bodies.put("{\"symbols\": [\"A\", null]}", "symbols[1]");
        bodies.put("{\"symbols\": [\"" + "A".repeat(10_000) + "\"]}", "symbols[0]");
        for (Map.Entry<String, String> bad : bodies.entrySet()) {
            ApiClient.Response response = api.post("/api/v1/predictions/batch", bad.getKey());
            assertProblem(response, 400, bad.getValue());
            // a client's text comes back cut short, never whole
            assertThat(response.body().length()).isLessThan(1_500);
        }

        String huge = "{\"symbols\": [\"" + "A".repeat(1 << 20) + "\"]}";
        assertProblem(api.post("/api/v1/predictions/batch", huge), 413, "body");
        assertThat(rowCounts()).isEqualTo(before);
    }

    // ---- bad query and path parameters

    @Test
    void badParametersAreRefusedByNameAndChangeNothing() {
        Map<String, Long> before = rowCounts();
        String injection = encode("X';DROP TABLE predictions;--");
        String longText = "A".repeat(6_000);
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("/api/v1/predictions?symbols=" + injection, "symbols");
        requests.put("/api/v1/predictions?symbols=X:ETHUSD," + injection, "symbols");
        requests.put("/api/v1/predictions?symbols=X:ETHUSD%00", "symbols");
        requests.put("/api/v1/predictions?symbols=" + longText, "symbols");
        requests.put("/api/v1/predictions?min_confidence=1.5", "min_confidence");
        requests.put("/api/v1/predictions?min_confidence=-0.1", "min_confidence");
        requests.put("/api/v1/predictions?min_confidence=NaN", "min_confidence");
        requests.put("/api/v1/predictions?min_confidence=" + injection, "min_confidence");
        requests.put("/api/v1/predictions?level=extreme", "level");
        requests.put("/api/v1/predictions?limit=0", "limit");
        requests.put("/api/v1/predictions?limit=501", "limit");
        requests.put("/api/v1/predictions?limit=ten", "limit");
        requests.put("/api/v1/predictions?cursor=" + injection, "cursor");
        requests.put("/api/v1/predictions?cursor=" + longText, "cursor");
        requests.put("/api/v1/predictions?sort=symbol", "sort");
        requests.put("/api/v1/predictions?limit=5&limit=6", "limit");
        requests.put("/api/v1/predictions/" + injection, "symbol");
        requests.put("/api/v1/predictions/" + longText, "symbol");
        requests.put("/api/v1/predictions/X:ETHUSD?as_of=2023-13-45", "as_of");
        requests.put("/api/v1/predictions/X:ETHUSD?as_of=yesterday", "as_of");
        requests.put("/api/v1/predictions/X:ETHUSD?as_of=" + injection, "as_of");
        requests.put("/api/v1/predictions/X:ETHUSD?as_of=1900-01-01", "as_of");
        requests.put("/api/v1/predictions/X:ETHUSD?as_of=2023-03-14%00", "as_of");
        requests.put("/api/v1/predictions/X:ETHUSD/history?from=2023-02-30", "from");
        requests.put("/api/v1/predictions/X:ETHUSD/history?to=" + longText, "to");
        requests.put("/api/v1/predictions/X:ETHUSD/history?from=2023-03-15&to=2023-03-14", "to");
        requests.put("/api/v1/predictions/X:ETHUSD/history?limit=0", "limit");
        requests.put("/api/v1/predictions/X:ETHUSD/history?limit=501", "limit");
        requests.put("/api/v1/predictions/X:ETHUSD/history?cursor=" + injection, "cursor");
        requests.put("/api/v1/predictions/" + injection + "/history", "symbol");
        requests.put("/api/v1/predictions/batch?detail=full", "detail");
        requests.put("/api/v1/status?verbose=1", "verbose");
        requests.put("/api/v1/models?folder=default", "folder");
        for (Map.Entry<String, String> bad : requests.entrySet()) {
            ApiClient.Response response =
                    bad.getKey().startsWith("/api/v1/predictions/batch")
                            ? api.post(bad.getKey(), "{\"symbols\": [\"X:ETHUSD\"]}")
                            : api.get(bad.getKey());
            assertProblem(response, 400, bad.getValue());
            // a client's text comes back cut short, never whole
            assertThat(response.body().length()).isLessThan(1_500);
        }

        // a 10 KB parameter reaches the route, which names it
        assertProblem(api.get("/api/v1/predictions?symbols=" + "A".repeat(10_000)), 400, "symbols");
        // a path with a NUL, and a URL longer than the server reads (32 KB), end before any
        // route: Jetty refuses them, still as problems
        assertProblem(api.get("/api/v1/predictions/X:ETH%00USD"), 400, null);
        assertProblem(api.get("/api/v1/predictions?symbols=" + "A".repeat(40_000)), 414, null);
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void everyEndpointNeedsAKey() {
        ApiClient anonymous = client(server.url(), null);
        for (String path :
                List.of(
                        "/api/v1/predictions",
                        "/api/v1/predictions/X:ETHUSD",
                        "/api/v1/predictions/X:ETHUSD/history",
                        "/api/v1/status",
                        "/api/v1/models")) {
            assertProblem(anonymous.get(path), 401, null);
        }
        assertProblem(
                anonymous.post("/api/v1/predictions/batch", "{\"symbols\": [\"X:ETHUSD\"]}"),
                401,
                null);
    }

    // ---- GET /api/v1/status

    @Test
    void statusReportsWhatTheTablesAndFlinkSay() throws Exception {
        // the tables were filled on a local cluster of their own (the class's cluster becomes the
        // context only for test methods): give the class's cluster, which the API asks, a job
        // to report
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(1, 2, 3).sinkTo(new DiscardingSink<>());
        JobExecutionResult probe = env.execute("barcast-status-probe");

        JsonNode status = api.get("/api/v1/status").json();
        Instant time = Instant.parse(status.get("time").asText());
        assertThat(time).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
        Timestamp hourAgo = Timestamp.from(time.minus(Duration.ofHours(1)));

        JsonNode bars = status.get("bars");
        Map<String, Object> barFacts =
                DB.query(
                                "SELECT count(DISTINCT symbol) AS symbols, max(bar_time) AS newest,"
                                        + " (SELECT max(updated_at) FROM (SELECT DISTINCT ON"
                                        + " (symbol) updated_at FROM bars ORDER BY symbol,"
                                        + " bar_time DESC) n) AS written FROM bars")
                        .get(0);
        assertThat(bars.get("symbols").asLong()).isEqualTo(barFacts.get("symbols"));
        assertThat(instant(bars, "newest_bar_time")).isEqualTo(instant(barFacts.get("newest")));
        assertThat(instant(bars, "newest_written_at")).isEqualTo(instant(barFacts.get("written")));
        assertThat(bars.get("lag_seconds").asLong())
                .isEqualTo(Duration.between(instant(barFacts.get("newest")), time).toSeconds());

        JsonNode forecasts = status.get("forecasts");
        Map<String, Object> forecastFacts =
                DB.query(
                                "SELECT count(DISTINCT symbol) AS symbols, max(as_of) AS as_of,"
                                        + " max(predicted_at) AS made,"
                                        + " count(*) FILTER (WHERE predicted_at >= ?) AS last_hour"
                                        + " FROM predictions",
                                hourAgo)
                        .get(0);
        assertThat(forecasts.get("symbols").asLong()).isEqualTo(forecastFacts.get("symbols"));
        assertThat(instant(forecasts, "newest_as_of"))
                .isEqualTo(instant(forecastFacts.get("as_of")));
        assertThat(instant(forecasts, "newest_predicted_at"))
                .isEqualTo(instant(forecastFacts.get("made")));
        assertThat(forecasts.get("lag_seconds").asLong())
                .isEqualTo(Duration.between(instant(forecastFacts.get("as_of")), time).toSeconds());
        assertThat(forecasts.get("last_hour").asLong())
                .isEqualTo(forecastFacts.get("last_hour"))
                .isPositive();
        List<Map<String, Object>> models =
                DB.query(
                        "SELECT model_name, model_version, count(*) AS n FROM predictions"
                                + " WHERE predicted_at >= ? GROUP BY 1, 2 ORDER BY 1, 2",
                        Timestamp.from(time.minus(Duration.ofDays(1))));
        assertThat(forecasts.get("models")).hasSize(models.size());
        for (int i = 0; i < models.size(); i++) {
            JsonNode model = forecasts.get("models").get(i);
            assertThat(fieldNames(model))
                    .containsExactlyInAnyOrder("model_name", "model_version", "forecasts_24h");
            assertThat(model.get("model_name").asText()).isEqualTo(models.get(i).get("model_name"));
            assertThat(model.get("model_version").asText())
                    .isEqualTo(models.get(i).get("model_version"));
            assertThat(model.get("forecasts_24h").asLong()).isEqualTo(models.get(i).get("n"));
        }

        assertThat(status.at("/recommendations/active").asLong())
                .isEqualTo(
                        DB.count("SELECT count(*) FROM recommendations WHERE status = 'active'"));
        assertThat(status.get("alerts_last_hour").asLong())
                .isEqualTo(DB.count("SELECT count(*) FROM alerts WHERE raised_at >= ?", hourAgo));
        assertThat(status.get("dead_letters_last_hour").asLong())
                .isEqualTo(
                        DB.count(
                                "SELECT count(*) FROM dead_letters WHERE first_seen_at >= ?",
                                hourAgo))
                .isPositive();

        JsonNode job = status.get("job");
        assertThat(job.get("state").asText()).isEqualTo("FINISHED");
        assertThat(job.get("name").asText()).isEqualTo("barcast-status-probe");
        assertThat(job.get("id").asText()).isEqualTo(probe.getJobID().toString());
        assertThat(instant(job, "start_time")).isBefore(time);
    }

    @Test
    void statusShowsAJobThatDoesNotAnswerAsUnreachable() throws Exception {
        try (ApiServer withoutFlink = start(settings(null, MODELS, Duration.ofHours(1)))) {
            JsonNode status = client(withoutFlink.url(), defaultKey).get("/api/v1/status").json();
            assertThat(status.get("job").isNull()).isTrue();
        }

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ApiServer refused =
                start(settings("http://127.0.0.1:" + closedPort, MODELS, Duration.ofHours(1)))) {
            JsonNode job =
                    client(refused.url(), defaultKey).get("/api/v1/status").json().get("job");
            assertThat(job.get("state").asText()).isEqualTo("unreachable");
            assertThat(job.get("id").isNull()).isTrue();
        }

        // a Flink that takes the connection and never answers: the status still comes in time
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ApiServer hanging =
                        start(
                                settings(
                                        "http://127.0.0.1:" + silent.getLocalPort() + "/",
                                        MODELS,
                                        Duration.ofHours(1)))) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor =
                    new Thread(
                            () -> {
                                try {
                                    while (true) {
                                        accepted.add(silent.accept());
                                    }
                                } catch (Exception closed) {
                                    // the test is over
                                }
                            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            JsonNode job =
                    client(hanging.url(), defaultKey).get("/api/v1/status").json().get("job");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(job.get("state").asText()).isEqualTo("unreachable");
            assertThat(took).isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(10));
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    // ---- GET /api/v1/models

    @Test
    void modelsDescribeEachModelFolderFromItsModelJson() throws Exception {
        ModelSpec spec;
        try (InputStream in = Files.newInputStream(MODELS.resolve("default/model.json"))) {
            spec = ModelSpec.parse(in);
        }
        JsonNode page = api.get("/api/v1/models").json();
        assertThat(page.has("next_cursor")).as("a listing without pages").isFalse();
        assertThat(page.get("items")).hasSize(1);
        JsonNode model = page.get("items").get(0);
        assertThat(fieldNames(model))
                .containsExactlyInAnyOrder(
                        "folder",
                        "name",
                        "version",
                        "trained_at",
                        "bar_interval",
                        "sequence_length",
                        "features",
                        "horizon_steps",
                        "training",
                        "held_out",
                        "forecasts_24h");
        assertModel(model, "default", spec);
        assertThat(model.get("forecasts_24h").asLong())
                .isEqualTo(
                        DB.count(
                                "SELECT count(*) FROM predictions WHERE model_folder = 'default'"
                                        + " AND model_version = ? AND predicted_at >= now() -"
                                        + " interval '1 day'",
                                spec.version()))
                .isPositive();

        // a symbol's own folder is listed; a folder the job would refuse is not
        Path models = Files.createDirectories(dir.resolve("models"));
        copyModel(MODELS.resolve("default"), models.resolve("default"));
        copyModel(MODELS.resolve("default"), models.resolve("X_ETHUSD"));
        Path specFile = models.resolve("X_ETHUSD/model.json");
        Files.writeString(
                specFile,
                Files.readString(specFile)
                        .replace(
                                "\"version\": \"" + spec.version() + "\"",
                                "\"version\": \"eth-1\""));
        copyModel(MODELS.resolve("default"), models.resolve("AAPL"));
        Files.writeString(models.resolve("AAPL/model.json"), "{\"name\": \"broken\"}");
        Files.createDirectories(models.resolve("notes"));

        try (ApiServer own = start(settings(null, models, Duration.ofHours(1)))) {
            JsonNode items =
                    client(own.url(), defaultKey).get("/api/v1/models").json().get("items");
            assertThat(items)
                    .extracting(m -> m.get("folder").asText())
                    .containsExactly("X_ETHUSD", "default");
            assertThat(items.get(0).get("version").asText()).isEqualTo("eth-1");
            assertThat(items.get(0).get("forecasts_24h").asLong()).isZero();
            assertModel(items.get(1), "default", spec);
        }
    }

    // ---- helpers

    private static void assertModel(JsonNode model, String folder, ModelSpec spec) {
        assertThat(model.get("folder").asText()).isEqualTo(folder);
        assertThat(model.get("name").asText()).isEqualTo(spec.name());
        assertThat(model.get("version").asText()).isEqualTo(spec.version());
        assertThat(model.get("trained_at").asText())
                .isEqualTo(spec.training().get("date").asText());
        assertThat(model.get("bar_interval").asText()).isEqualTo("PT15M");
        assertThat(model.get("sequence_length").asInt()).isEqualTo(spec.input().sequenceLength());
        assertThat(model.get("features"))
                .extracting(JsonNode::asText)
                .containsExactlyElementsOf(spec.input().features());
        assertThat(model.get("horizon_steps"))
                .extracting(JsonNode::asInt)
                .containsExactly(
                        java.util.Arrays.stream(spec.output().horizonSteps())
                                .boxed()
                                .toArray(Integer[]::new));
        assertThat(model.get("held_out")).isEqualTo(spec.training().get("metrics"));
        assertThat(model.get("training").get("data")).isEqualTo(spec.training().get("data"));
        assertThat(model.get("training").get("date")).isEqualTo(spec.training().get("date"));
        assertThat(model.get("training").has("metrics")).isFalse();
    }

    private static void copyModel(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String file : List.of("model.json", "model.onnx")) {
            Files.copy(from.resolve(file), to.resolve(file));
        }
    }

    private static int staleOf(ApiClient client, String batch) {
        ApiClient.Response response = client.post("/api/v1/predictions/batch", batch);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().at("/facts/found").asInt()).isEqualTo(2);
        return response.json().at("/facts/stale").asInt();
    }

    /** A summary's fields equal the row's, and it has no others. */
    private static void assertSummary(JsonNode item, Map<String, Object> row) {
        assertThat(fieldNames(item)).containsExactlyInAnyOrderElementsOf(SUMMARY_FIELDS);
        assertSummaryValues(item, row);
    }

    private static void assertSummaryValues(JsonNode item, Map<String, Object> row) {
        String id = row.get("prediction_id").toString();
        assertThat(item.get("prediction_id").asText()).isEqualTo(id);
        assertThat(item.get("symbol").asText()).as(id).isEqualTo(row.get("symbol"));
        assertThat(instant(item, "as_of")).as(id).isEqualTo(instant(row.get("as_of")));
        assertThat(item.get("reason").asText()).as(id).isEqualTo(row.get("reason"));
        assertThat(item.get("model_folder").asText()).as(id).isEqualTo(row.get("model_folder"));
        assertThat(item.get("model_name").asText()).as(id).isEqualTo(row.get("model_name"));
        assertThat(item.get("model_version").asText()).as(id).isEqualTo(row.get("model_version"));
        double lastClose = (Double) row.get("last_close");
        double finalPrice = (Double) row.get("final_price");
        assertThat(item.get("last_close").asDouble()).as(id).isEqualTo(lastClose);
        assertThat(instant(item, "horizon_end")).as(id).isEqualTo(instant(row.get("horizon_end")));
        assertThat(item.get("final_price").asDouble()).as(id).isEqualTo(finalPrice);
        assertThat(item.get("expected_return_percent").asDouble())
                .as(id)
                .isEqualTo(100 * (finalPrice / lastClose - 1));
        assertThat(item.get("confidence").asDouble()).as(id).isEqualTo(row.get("confidence"));
        assertThat(item.get("confidence_level").asText())
                .as(id)
                .isEqualTo(row.get("confidence_level"));
        assertThat(instant(item, "predicted_at"))
                .as(id)
                .isEqualTo(instant(row.get("predicted_at")));
    }

    /**
     * A full forecast's fields equal the row's: summary, every point of the path, band, confidence.
     */
    private static void assertFull(JsonNode forecast, Map<String, Object> row) {
        Set<String> fields = new TreeSet<>(SUMMARY_FIELDS);
        fields.addAll(
                List.of(
                        "path",
                        "band",
                        "confidence_detail",
                        "batch_size",
                        "inference_micros",
                        "received_at"));
        assertThat(fieldNames(forecast)).containsExactlyInAnyOrderElementsOf(fields);
        assertSummaryValues(forecast, row);
        String id = row.get("prediction_id").toString();

        List<Map<String, Object>> points =
                DB.query(
                        "SELECT bar_time, price, lower, upper FROM prediction_points"
                                + " WHERE prediction_id = ? ORDER BY step",
                        row.get("prediction_id"));
        JsonNode path = forecast.get("path");
        assertThat(points).hasSize(672);
        assertThat(path).hasSize(points.size());
        for (int i = 0; i < points.size(); i++) {
            JsonNode point = path.get(i);
            Map<String, Object> expected = points.get(i);
            assertThat(fieldNames(point)).containsExactly("time", "price", "lower", "upper");
            assertThat(instant(point, "time"))
                    .as(id + " " + i)
                    .isEqualTo(instant(expected.get("bar_time")));
            assertThat(point.get("price").asDouble())
                    .as(id + " " + i)
                    .isEqualTo(expected.get("price"));
            assertThat(point.get("lower").asDouble())
                    .as(id + " " + i)
                    .isEqualTo(expected.get("lower"));
            assertThat(point.get("upper").asDouble())
                    .as(id + " " + i)
                    .isEqualTo(expected.get("upper"));
        }
        assertThat(instant(path.get(path.size() - 1), "time"))
                .isEqualTo(instant(forecast, "horizon_end"));

        assertThat(row.get("no_band")).isEqualTo(false);
        assertThat(forecast.at("/band/method").asText()).isEqualTo(row.get("band_method"));
        assertThat(forecast.at("/band/coverage").asDouble()).isEqualTo(row.get("band_coverage"));

        JsonNode confidence = forecast.get("confidence_detail");
        assertThat(fieldNames(confidence))
                .containsExactlyInAnyOrder("value", "level", "decay", "factors");
        assertThat(confidence.get("value").asDouble()).isEqualTo(row.get("confidence"));
        assertThat(confidence.get("level").asText()).isEqualTo(row.get("confidence_level"));
        assertThat(confidence.get("decay").asDouble()).isEqualTo(row.get("confidence_decay"));
        JsonNode factors = readTree((String) row.get("factors"));
        assertThat(factors.size()).isEqualTo(10);
        assertThat(confidence.get("factors")).isEqualTo(factors);

        assertThat(forecast.get("batch_size").asInt()).isEqualTo(row.get("batch_size"));
        assertThat(forecast.get("inference_micros").asLong())
                .isEqualTo(row.get("inference_micros"));
        assertThat(instant(forecast, "received_at")).isEqualTo(instant(row.get("received_at")));
    }

    private static void assertProblem(ApiClient.Response response, int status, String parameter) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
        if (parameter != null) {
            assertThat(problem.path("parameter").asText())
                    .as(response.toString())
                    .isEqualTo(parameter);
        }
    }

    /** Rows in every table, to show that a request changed none. */
    private static Map<String, Long> rowCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> table :
                DB.query(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                                + " ORDER BY tablename")) {
            String name = (String) table.get("tablename");
            counts.put(name, DB.count("SELECT count(*) FROM public.\"" + name + "\""));
        }
        assertThat(counts).containsKeys("predictions", "bars", "api_keys");
        return counts;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("prediction_id").asText()));
        return ids;
    }

    private static String idOf(List<Map<String, Object>> rows, String symbol) {
        return rows.stream()
                .filter(r -> symbol.equals(r.get("symbol")))
                .map(ApiForecastsITCase::uuid)
                .findFirst()
                .orElseThrow();
    }

    private static String uuid(Map<String, Object> row) {
        return row.get("prediction_id").toString();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static Instant instant(JsonNode node, String field) {
        return Instant.parse(node.get(field).asText());
    }

    private static Instant instant(Object sqlTime) {
        return ((Timestamp) sqlTime).toInstant();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ApiServer start(ApiSettings settings) {
        return new ApiServer(settings).start();
    }

    /** The test database's settings with a Flink REST URL, a model folder and a stale limit. */
    private static ApiSettings settings(String flinkUrl, Path modelDir, Duration staleAfter) {
        return TestApiSettings.of(DB, null).toBuilder()
                .modelDir(modelDir)
                .flinkRestUrl(flinkUrl)
                .dbPoolSize(2)
                .staleAfter(staleAfter)
                .build();
    }

    /** A client whose every response is checked against the OpenAPI document. */
    private static ApiClient client(String url, String key) {
        return new ApiClient(url, key).validating(CONTRACT);
    }
}
