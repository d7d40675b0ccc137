package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.export.ExportSettings;
import io.barcast.api.export.ExportSettings.ExportLimits;
import io.barcast.jobs.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export's life in the {@code exports} table and the folder: queued, running while its rows are
 * read, done; expired after {@code expireAfter} with its file deleted (410); written again when the
 * instance that ran it died; refused over its tier's limits (active exports: 429; rows: failed,
 * naming the cap, leaving no file).
 */
class ExportLifecycleITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

    @TempDir static Path dir;

    private static final Duration EXPIRE_AFTER = Duration.ofSeconds(3);
    private static final int BARS = 40;

    private static ApiServer server;
    private static Path files;
    private static ExportCalls premium;
    private static ExportCalls capped;
    private static ApiKey cappedKey;
    private static ApiClient anonymous;

    @BeforeAll
    static void start() throws Exception {
        DB.execute(
                "INSERT INTO bars (symbol, bar_time, open, high, low, close, volume)"
                        + " SELECT 'X:ETHUSD', timestamptz '2023-03-13 00:00Z' + n * interval '15"
                        + " minutes', 100 + n, 101 + n, 99 + n, 100.5 + n, 10 * n FROM"
                        + " generate_series(1, "
                        + BARS
                        + ") AS n");
        files = dir.resolve("exports");
        ApiSettings settings = TestApiSettings.of(DB, null);
        settings =
                settings.toBuilder()
                        .exports(
                                new ExportSettings(
                                        files,
                                        2,
                                        EXPIRE_AFTER,
                                        Map.of(Tier.DEFAULT, new ExportLimits(5, 1))))
                        .build();
        server = new ApiServer(settings).start();
        anonymous = new ApiClient(server.url(), null);
        OpenApiContract contract = OpenApiContract.served(anonymous);
        ApiClient validating = anonymous.validating(contract);
        ApiKeys keys = new ApiKeys(server.context().db());
        premium =
                new ExportCalls(
                        validating.withKey(keys.create("analyst", Tier.PREMIUM).secret()),
                        contract);
        ApiKeys.Created created = keys.create("small", Tier.DEFAULT);
        cappedKey = created.key();
        capped = premium.as(validating.withKey(created.secret()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anExportIsQueuedThenRunningWhileItsRowsAreReadThenDone() throws Exception {
        String id;
        try (Connection connection = DB.connect();
                Statement lock = connection.createStatement()) {
            // the export's query waits for this lock: it is running, with nothing written yet
            connection.setAutoCommit(false);
            lock.execute("LOCK TABLE bars IN ACCESS EXCLUSIVE MODE");
            id = premium.create("{\"kind\":\"bars\",\"format\":\"jsonl\"}");
            JsonNode running = premium.awaitState(id, "running");
            assertThat(running.path("rows_written").asLong()).isZero();
            assertThat(running.path("started_at").isNull()).isFalse();
            assertThat(premium.download(id).statusCode()).isEqualTo(409);
            connection.commit();
        }
        JsonNode done = premium.awaitState(id, "done");
        assertThat(done.path("rows_written").asLong()).isEqualTo(BARS);
        assertThat(done.path("file_name").asText()).isEqualTo("barcast-bars-" + id + ".jsonl");
        assertThat(done.path("download").asText()).isEqualTo("/api/v1/exports/" + id + "/file");
        byte[] file = premium.download(id).body();
        assertThat(new String(file).lines()).hasSize(BARS);
        assertThat(done.path("bytes").asLong()).isEqualTo(file.length);
    }

    @Test
    void aDoneExportExpiresItsFileIsDeletedAndTheDownloadIsGone() throws Exception {
        String id =
                premium.create("{\"kind\":\"bars\",\"format\":\"csv\",\"compression\":\"gzip\"}");
        premium.awaitState(id, "done");
        Path file = files.resolve(id + ".csv.gz");
        assertThat(file).exists();
        JsonNode expired = premium.awaitState(id, "expired");
        assertThat(expired.path("download").isNull()).isTrue();
        assertThat(file).doesNotExist();
        assertThat(premium.download(id).statusCode()).isEqualTo(410);
        // and the row itself goes a while later: the table stays bounded
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                DB.count(
                                                "SELECT count(*) FROM exports WHERE export_id ="
                                                        + " ?",
                                                UUID.fromString(id))
                                        == 0);
    }

    @Test
    void anExportWhoseInstanceDiedIsWrittenAgain() throws Exception {
        UUID id = UUID.randomUUID();
        // claimed a minute ago by an instance that stopped renewing its lease, leaving a part file
        DB.execute(
                "INSERT INTO exports (export_id, key_id, kind, format, compression, symbols,"
                        + " max_rows, state, owner, lease_until, attempts, rows_written,"
                        + " started_at) SELECT ?, key_id, 'bars', 'csv', 'none', '{}', 1000000,"
                        + " 'running', 'api-dead', now() - interval '1 second', 1, 7, now() -"
                        + " interval '1 minute' FROM api_keys WHERE name = 'analyst'",
                id);
        Files.createDirectories(files);
        Path stale = files.resolve(id + "-1.part");
        Files.writeString(stale, "half a file");
        assertThat(premium.show(id.toString()).path("state").asText()).isEqualTo("running");
        JsonNode done = premium.awaitState(id.toString(), "done");
        assertThat(done.path("rows_written").asLong()).isEqualTo(BARS);
        assertThat(DB.count("SELECT attempts FROM exports WHERE export_id = ?", id)).isEqualTo(2);
        byte[] file = premium.download(id.toString()).body();
        assertThat(new String(file).split("\r\n")).hasSize(BARS + 1);
    }

    @Test
    void aKeyOverItsActiveExportsIsRefusedWith429() throws Exception {
        try (Connection connection = DB.connect();
                Statement lock = connection.createStatement()) {
            connection.setAutoCommit(false);
            lock.execute("LOCK TABLE alerts IN ACCESS EXCLUSIVE MODE");
            String first = capped.create("{\"kind\":\"alerts\",\"format\":\"csv\"}");
            ApiClient.Response refused =
                    capped.client()
                            .post("/api/v1/exports", "{\"kind\":\"alerts\",\"format\":\"csv\"}");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(refused.json().path("detail").asText())
                    .contains("api.exports.max-active.default");
            connection.commit();
            capped.awaitState(first, "done");
        }
        // once the first is done, the key may ask again
        String again = capped.create("{\"kind\":\"alerts\",\"format\":\"csv\"}");
        capped.awaitState(again, "done");
    }

    @Test
    void anExportOverItsTiersRowCapFailsNamingItAndLeavesNoFile() throws Exception {
        String id = capped.create("{\"kind\":\"bars\",\"format\":\"parquet\"}");
        JsonNode failed = capped.awaitState(id, "failed");
        assertThat(failed.path("error").asText()).contains("more than 5 rows");
        assertThat(failed.path("max_rows").asLong()).isEqualTo(5);
        ApiClient.Response download = capped.client().get("/api/v1/exports/" + id + "/file");
        assertThat(download.status()).isEqualTo(409);
        try (Stream<Path> left = Files.list(files)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(id));
        }
        // within its cap the same key's export is written
        String small =
                capped.create(
                        "{\"kind\":\"bars\",\"format\":\"parquet\",\"from\":\"2023-03-13T00:15:00Z\","
                                + "\"to\":\"2023-03-13T01:15:00Z\"}");
        assertThat(capped.awaitState(small, "done").path("rows_written").asLong()).isEqualTo(4);
    }

    @Test
    void deletingARunningExportStopsItAndLeavesNoFile() throws Exception {
        String id;
        try (Connection connection = DB.connect();
                Statement lock = connection.createStatement()) {
            connection.setAutoCommit(false);
            lock.execute("LOCK TABLE bars IN ACCESS EXCLUSIVE MODE");
            id = premium.create("{\"kind\":\"bars\",\"format\":\"csv\"}");
            premium.awaitState(id, "running");
            ApiClient client = premium.client();
            assertThat(client.send(client.request("/api/v1/exports/" + id).DELETE()).status())
                    .isEqualTo(204);
            connection.commit();
        }
        assertThat(premium.client().get("/api/v1/exports/" + id).status()).isEqualTo(404);
        String finalId = id;
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> filesOf(finalId).isEmpty());
    }

    @Test
    void metricsCountExportsByStateAndFormatAndTheirRows() {
        String id = premium.create("{\"kind\":\"bars\",\"format\":\"jsonl\"}");
        premium.awaitState(id, "done");
        String metrics = anonymous.get("/metrics").body();
        for (String state : List.of("queued", "done")) {
            assertThat(metrics)
                    .containsPattern(
                            "barcast_api_exports_total\\{(format=\"jsonl\",state=\""
                                    + state
                                    + "\"|state=\""
                                    + state
                                    + "\",format=\"jsonl\")\\} [1-9]");
        }
        assertThat(metrics)
                .containsPattern("barcast_api_export_rows_total\\{format=\"jsonl\"\\} [1-9]")
                .containsPattern("barcast_api_export_bytes_total\\{format=\"jsonl\"\\} [1-9]");
    }

    private static List<String> filesOf(String id) throws IOException {
        try (Stream<Path> left = Files.list(files)) {
            return left.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith(id))
                    .toList();
        }
    }
}
