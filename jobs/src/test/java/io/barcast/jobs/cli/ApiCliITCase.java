package io.barcast.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.api.ApiServer;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.api.TestApiSettings;
import io.barcast.jobs.local.FreePorts;
import io.barcast.jobs.testing.CapturedOutput;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's command line: keys made, listed and revoked in the real database, and the terminal
 * clients ({@code status}, {@code predictions}, {@code recommendations}) reading a real API over
 * tables the real pipeline filled.
 */
class ApiCliITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static final Pattern KEY = Pattern.compile("^(bk_([0-9a-f]{12})_[A-Za-z0-9_-]{43})$");

    private static ApiServer server;

    @RegisterExtension final CapturedOutput output = new CapturedOutput();
    private final ByteArrayOutputStream out = output.out;
    private final ByteArrayOutputStream err = output.err;

    @BeforeAll
    static void start() throws Exception {
        PipelineTables.fill(DB, KAFKA, dir, "cli");
        server = new ApiServer(TestApiSettings.of(DB, null)).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void keysAreMadeShownOnceListedAndRevoked() {
        assertThat(run("api-keys", "create", "--tier", "premium", "--name", "bot1")).isZero();
        String key = keyIn(out.toString());
        String id = KEY.matcher(key).results().findFirst().orElseThrow().group(2);
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM api_keys WHERE key_id = ? AND tier = 'premium'",
                                id))
                .isOne();
        assertThat(DB.query("SELECT key_hash FROM api_keys WHERE key_id = ?", id).toString())
                .as("only the hash is stored")
                .doesNotContain(key);

        out.reset();
        assertThat(run("api-keys", "list")).isZero();
        assertThat(out.toString()).contains(id).contains("bot1").contains("premium");
        assertThat(out.toString()).as("a listing never shows a key").doesNotContain(key);

        out.reset();
        assertThat(run("api-keys", "revoke", id)).isZero();
        assertThat(out.toString()).contains("Revoked key " + id);
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM api_keys WHERE key_id = ? AND revoked_at IS NOT"
                                        + " NULL",
                                id))
                .isOne();
        assertThat(run("api-keys", "revoke", id)).isOne();
        assertThat(err.toString()).contains("no valid key with id " + id);

        assertThat(run("api-keys", "create", "--tier", "gold", "--name", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("tier 'gold' is not one of default, premium, admin");
    }

    @Test
    void theClientsPrintWhatTheApiAnswers() throws Exception {
        Path keyFile = keyFile("reader", "default");

        assertThat(client("status", keyFile)).as(err.toString()).isZero();
        String status = out.toString();
        assertThat(status).contains("bars").contains("forecasts");
        assertThat(status)
                .contains(
                        "active recommendations     : "
                                + DB.count(
                                        "SELECT count(*) FROM recommendations WHERE status = 'active'"));
        assertThat(status).contains("not known (set api.flink-rest-url)");

        out.reset();
        assertThat(client("predictions", keyFile)).isZero();
        assertThat(out.toString().lines().skip(1).toList())
                .as("one line per symbol")
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).startsWith(PipelineTables.ETH + " "))
                .anySatisfy(line -> assertThat(line).startsWith(PipelineTables.ETH_EUR + " "));

        out.reset();
        assertThat(client("predictions", keyFile, "x:ethusd")).isZero();
        String newest =
                DB.query(
                                "SELECT max(as_of) AS t FROM predictions WHERE symbol = ?",
                                PipelineTables.ETH)
                        .get(0)
                        .get("t")
                        .toString();
        String one = out.toString();
        assertThat(one).startsWith(PipelineTables.ETH + "  as of ");
        assertThat(one).contains("CONFIDENCE FACTOR");
        // a week of a 24x7 market, a line per day: 7 or 8 days touched
        assertThat(one.lines().filter(line -> line.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).count())
                .isBetween(7L, 8L);
        assertThat(newest).isNotEmpty();

        out.reset();
        assertThat(client("recommendations", keyFile)).isZero();
        assertThat(out.toString().lines().skip(1).count())
                .isEqualTo(
                        DB.count("SELECT count(*) FROM recommendations WHERE status = 'active'"));
    }

    @Test
    void failuresAreOneClearLine() throws Exception {
        assertThat(run("status", "--api-url", server.url())).isOne();
        assertThat(err.toString())
                .contains("Unauthorized")
                .contains("set BARCAST_API_KEY or --key-file");

        err.reset();
        int port = FreePorts.onLoopback();
        assertThat(
                        run(
                                "status",
                                "--api-url",
                                "http://127.0.0.1:" + port,
                                "--key-file",
                                keyFile("nobody", "default").toString()))
                .isOne();
        assertThat(err.toString())
                .contains("no API answers at http://127.0.0.1:" + port)
                .doesNotContain("Exception");

        err.reset();
        assertThat(client("predictions", keyFile("someone", "default"), "X:NOPE")).isOne();
        assertThat(err.toString()).contains("Unknown symbol");
    }

    private int client(String command, Path keyFile, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                command,
                                "--api-url",
                                server.url(),
                                "--key-file",
                                keyFile.toString()));
        args.addAll(List.of(more));
        return BarcastCli.execute(args.toArray(String[]::new));
    }

    private Path keyFile(String name, String tier) throws Exception {
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        saved.writeBytes(out.toByteArray());
        out.reset();
        assertThat(run("api-keys", "create", "--tier", tier, "--name", name)).isZero();
        String key = keyIn(out.toString());
        out.reset();
        out.writeBytes(saved.toByteArray());
        Path file = Files.createTempFile(dir, "key", ".txt");
        Files.writeString(file, key + "\n");
        return file;
    }

    private static String keyIn(String output) {
        for (String line : output.lines().toList()) {
            Matcher matcher = KEY.matcher(line.strip());
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("no key in: " + output);
    }

    private static int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--set",
                        "jdbc.url=" + DB.url(),
                        "--set",
                        "jdbc.user=" + DB.user(),
                        "--set",
                        "jdbc.password=" + DB.password()));
        if (args[0].equals("api-keys")) {
            return BarcastCli.execute(all.toArray(String[]::new));
        }
        return BarcastCli.execute(args);
    }
}
