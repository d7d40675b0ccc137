package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exports over sink tables the real pipeline filled from real ETH bars: each format's file, read
 * back by an independent reader, holds exactly the rows the same SQL filter selects, value by value
 * and every column of the table; gzip and zip wrap the same file; {@code all} holds one file per
 * kind; an export is its key's; bad requests are refused naming the field.
 */
class ExportsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static ApiServer server;
    private static ExportCalls premium;
    private static ExportCalls other;
    private static ExportCalls admin;

    @BeforeAll
    static void fillTablesAndStart() throws Exception {
        PipelineTables.fill(DB, KAFKA, dir, "exports");
        ApiSettings settings = TestApiSettings.of(DB, null);
        settings =
                settings.toBuilder()
                        .exports(settings.exports().withDir(dir.resolve("exports")))
                        .build();
        server = new ApiServer(settings).start();
        ApiClient anonymous = new ApiClient(server.url(), null);
        OpenApiContract contract = OpenApiContract.served(anonymous);
        ApiClient validating = anonymous.validating(contract);
        ApiKeys keys = new ApiKeys(server.context().db());
        premium =
                new ExportCalls(
                        validating.withKey(keys.create("analyst", Tier.PREMIUM).secret()),
                        contract);
        other = premium.as(validating.withKey(keys.create("someone", Tier.DEFAULT).secret()));
        admin = premium.as(validating.withKey(keys.create("ops", Tier.ADMIN).secret()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The table, time column and key of each kind, as the schema defines them. */
    private record Table(String name, String time, String order) {}

    private static Table table(String kind) {
        return switch (kind) {
            case "predictions" -> new Table("predictions", "as_of", "prediction_id");
            case "validations" -> new Table("validations", "target_time", "validation_id");
            case "bars" -> new Table("bars", "bar_time", "bar_time");
            case "recommendations" -> new Table("recommendations", "as_of", "recommendation_id");
            case "performance" -> new Table("accuracy", "as_of", "accuracy_id");
            case "alerts" -> new Table("alerts", "raised_at", "alert_id");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
        "predictions, csv",
        "predictions, jsonl",
        "predictions, parquet",
        "validations, csv",
        "validations, jsonl",
        "validations, parquet",
        "bars, csv",
        "bars, jsonl",
        "bars, parquet"
    })
    void theFileHoldsTheRowsOfTheSameSqlFilterValueByValue(String kind, String format)
            throws Exception {
        Table table = table(kind);
        String symbol = PipelineTables.ETH_EUR;
        // a window in the middle of the symbol's rows: both bounds cut some off
        List<Map<String, Object>> times =
                DB.query(
                        "SELECT "
                                + table.time()
                                + " AS t FROM "
                                + table.name()
                                + " WHERE symbol = ? ORDER BY 1",
                        symbol);
        assertThat(times).hasSizeGreaterThan(10);
        Instant from = ((Timestamp) times.get(times.size() / 4).get("t")).toInstant();
        Instant to = ((Timestamp) times.get(times.size() * 3 / 4).get("t")).toInstant();
        List<Map<String, Object>> rows =
                DB.query(
                        "SELECT * FROM "
                                + table.name()
                                + " WHERE symbol = ? AND "
                                + table.time()
                                + " >= ? AND "
                                + table.time()
                                + " < ? ORDER BY symbol, "
                                + table.time()
                                + ", "
                                + table.order(),
                        symbol,
                        from.atOffset(ZoneOffset.UTC),
                        to.atOffset(ZoneOffset.UTC));
        assertThat(rows).isNotEmpty().hasSizeLessThan(times.size());
        long everySymbol = DB.count("SELECT count(*) FROM " + table.name());
        assertThat(everySymbol).isGreaterThan(times.size());

        byte[] file =
                premium.export(
                        "{\"kind\":\""
                                + kind
                                + "\",\"format\":\""
                                + format
                                + "\",\"symbols\":[\""
                                + symbol.toLowerCase()
                                + "\"],\"from\":\""
                                + from
                                + "\",\"to\":\""
                                + to
                                + "\"}");

        List<Map<String, Object>> expected = ExportFiles.normalized(rows, format.equals("parquet"));
        List<Map<String, Object>> actual = ExportFiles.read(format, file, expected, dir);
        assertThat(actual).hasSameSizeAs(expected);
        // every column of the table, named as in it
        assertThat(actual.get(0).keySet()).isEqualTo(expected.get(0).keySet());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("row %d", i).isEqualTo(expected.get(i));
        }
        if (kind.equals("predictions")) {
            assertThat((List<?>) actual.get(0).get("path_prices")).hasSizeGreaterThan(100);
            assertThat(actual.get(0).get("confidence_factors")).isInstanceOf(JsonNode.class);
        }
        if (format.equals("parquet") && kind.equals("predictions")) {
            MessageType schema = ExportFiles.parquetSchema(file, dir);
            assertThat(schema.getType("path_prices").getLogicalTypeAnnotation())
                    .isEqualTo(LogicalTypeAnnotation.listType());
            assertThat(schema.getType("as_of").asPrimitiveType().getPrimitiveTypeName())
                    .isEqualTo(PrimitiveTypeName.INT64);
            assertThat(schema.getType("as_of").getLogicalTypeAnnotation())
                    .isEqualTo(
                            LogicalTypeAnnotation.timestampType(
                                    true, LogicalTypeAnnotation.TimeUnit.MILLIS));
        }
    }

    @Test
    void aCsvCellOfAListIsAJsonArrayAndAnEmptyBareCellIsNull() throws Exception {
        byte[] file = premium.export("{\"kind\":\"validations\",\"format\":\"csv\"}");
        String text = new String(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\r\n");
        assertThat(lines[0]).startsWith("\"validation_id\",\"prediction_id\",\"symbol\"");
        assertThat(lines).hasSize((int) DB.count("SELECT count(*) FROM validations") + 1);
        byte[] paths =
                premium.export(
                        "{\"kind\":\"predictions\",\"format\":\"csv\",\"symbols\":[\""
                                + PipelineTables.ETH
                                + "\"]}");
        String second = new String(paths, StandardCharsets.UTF_8).split("\r\n")[1];
        assertThat(second).contains(",\"[\"\"20").contains(",\"[");
    }

    @Test
    void gzipAndZipWrapTheSameFileAsNone() throws Exception {
        for (String format : List.of("csv", "jsonl")) {
            String body =
                    "{\"kind\":\"predictions\",\"format\":\""
                            + format
                            + "\",\"symbols\":[\""
                            + PipelineTables.ETH
                            + "\"],\"compression\":\"";
            byte[] plain = premium.export(body + "none\"}");
            byte[] gzip = premium.export(body + "gzip\"}");
            byte[] zip = premium.export(body + "zip\"}");
            assertThat(plain.length).isGreaterThan(1000);
            assertThat(gzip.length).isLessThan(plain.length);
            assertThat(ExportFiles.gunzip(gzip)).isEqualTo(plain);
            Map<String, byte[]> entries = ExportFiles.unzip(zip);
            assertThat(entries).containsOnlyKeys("predictions." + format);
            assertThat(entries.get("predictions." + format)).isEqualTo(plain);
        }
    }

    @Test
    void allHoldsOneFilePerKindWithEveryRowOfIt() throws Exception {
        for (String format : List.of("jsonl", "parquet")) {
            String id = premium.create("{\"kind\":\"all\",\"format\":\"" + format + "\"}");
            JsonNode done = premium.awaitState(id, "done");
            HttpResponse<byte[]> download = premium.download(id);
            assertThat(download.headers().firstValue("Content-Type")).hasValue("application/zip");
            assertThat(download.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=\"barcast-all-" + id + ".zip\"");
            assertThat(download.headers().firstValueAsLong("Content-Length"))
                    .hasValue(download.body().length);
            assertThat(done.path("bytes").asLong()).isEqualTo(download.body().length);
            Map<String, byte[]> entries = ExportFiles.unzip(download.body());
            List<String> kinds =
                    List.of(
                            "predictions",
                            "recommendations",
                            "validations",
                            "performance",
                            "alerts",
                            "bars");
            assertThat(entries.keySet())
                    .containsExactlyElementsOf(
                            kinds.stream().map(kind -> kind + "." + format).toList());
            long total = 0;
            for (String kind : kinds) {
                long count = DB.count("SELECT count(*) FROM " + table(kind).name());
                assertThat(count).as(kind).isPositive();
                List<Map<String, Object>> rows =
                        ExportFiles.read(format, entries.get(kind + "." + format), List.of(), dir);
                assertThat(rows).as(kind).hasSize((int) count);
                total += count;
            }
            assertThat(done.path("rows_written").asLong()).isEqualTo(total);
        }
    }

    @Test
    void anExportIsItsKeysOnlyAndAnAdminSeesEveryKeys() {
        String id = premium.create("{\"kind\":\"alerts\",\"format\":\"csv\"}");
        premium.awaitState(id, "done");
        ApiClient stranger = other.client();
        assertThat(stranger.get("/api/v1/exports/" + id).status()).isEqualTo(404);
        assertThat(other.download(id).statusCode()).isEqualTo(404);
        assertThat(stranger.send(stranger.request("/api/v1/exports/" + id).DELETE()).status())
                .isEqualTo(404);
        assertThat(ids(other.client(), 50)).doesNotContain(id);
        assertThat(ids(premium.client(), 50)).contains(id);
        assertThat(ids(admin.client(), 50)).contains(id);
        assertThat(admin.show(id).path("state").asText()).isEqualTo("done");
        assertThat(admin.download(id).statusCode()).isEqualTo(200);
    }

    @Test
    void theListingPagesNewestFirstWithEachExportOnce() {
        ExportCalls mine = premium.as(premium.client());
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = mine.create("{\"kind\":\"alerts\",\"format\":\"jsonl\"}");
            mine.awaitState(id, "done");
            made.add(0, id);
        }
        List<String> walked = ids(premium.client(), 1);
        assertThat(new HashSet<>(walked)).hasSameSizeAs(walked);
        assertThat(walked.subList(0, 3)).isEqualTo(made);
    }

    @Test
    void deleteRemovesTheExportAndItsFile() throws Exception {
        String id = premium.create("{\"kind\":\"bars\",\"format\":\"csv\"}");
        premium.awaitState(id, "done");
        Path file = dir.resolve("exports").resolve(id + ".csv");
        assertThat(file).exists();
        ApiClient client = premium.client();
        assertThat(client.send(client.request("/api/v1/exports/" + id).DELETE()).status())
                .isEqualTo(204);
        assertThat(file).doesNotExist();
        assertThat(client.get("/api/v1/exports/" + id).status()).isEqualTo(404);
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        Map<String, String> cases =
                Map.of(
                        "{\"kind\":\"trades\",\"format\":\"csv\"}", "kind",
                        "{\"format\":\"csv\"}", "kind",
                        "{\"kind\":\"bars\",\"format\":\"xlsx\"}", "format",
                        "{\"kind\":\"bars\",\"format\":\"csv\",\"compression\":\"rar\"}",
                                "compression",
                        "{\"kind\":\"bars\",\"format\":\"parquet\",\"compression\":\"gzip\"}",
                                "compression",
                        "{\"kind\":\"all\",\"format\":\"csv\",\"compression\":\"gzip\"}",
                                "compression",
                        "{\"kind\":\"bars\",\"format\":\"csv\",\"from\":\"2023-03-15\",\"to\":\"2023-03-14\"}",
                                "to",
                        "{\"kind\":\"bars\",\"format\":\"csv\",\"from\":\"yesterday\"}", "from",
                        "{\"kind\":\"bars\",\"format\":\"csv\",\"symbols\":[\"A B\"]}",
                                "symbols[0]",
                        "{\"kind\":\"bars\",\"format\":\"csv\",\"rows\":5}", "rows");
        long before = DB.count("SELECT count(*) FROM exports");
        cases.forEach(
                (body, field) -> {
                    ApiClient.Response response = premium.client().post("/api/v1/exports", body);
                    assertThat(response.status()).as(body).isEqualTo(400);
                    assertThat(response.json().path("parameter").asText())
                            .as(body)
                            .isEqualTo(field);
                });
        assertThat(DB.count("SELECT count(*) FROM exports")).isEqualTo(before);
        assertThat(premium.client().get("/api/v1/exports/not-an-id").status()).isEqualTo(404);
    }

    /** The ids of every export a key's listing shows, walked with pages of {@code limit}. */
    private static List<String> ids(ApiClient client, int limit) {
        List<String> ids = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            ApiClient.Response page =
                    client.get(
                            "/api/v1/exports?limit="
                                    + limit
                                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
            cursor =
                    page.json().path("next_cursor").isNull()
                            ? null
                            : page.json().path("next_cursor").asText();
            assertThat(cursor == null || cursors.add(cursor)).isTrue();
        } while (cursor != null);
        return ids;
    }
}
