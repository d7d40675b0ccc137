package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.barcast.connectors.polygon.testing.PolygonRestServer;
import io.barcast.core.Bar;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.local.FreePorts;
import io.barcast.jobs.local.StateFolder;
import io.barcast.jobs.testing.CliProcess;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barcast run} killed with SIGKILL in the middle of its input, then started again with the
 * same command: it resumes from the newest checkpoint in its state folder, and every forecast is in
 * PostgreSQL and on the read_committed topic exactly once. Real child processes against this test's
 * PostgreSQL, Kafka broker and Polygon server.
 */
class CrashResumeITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private static final int EXPECTED =
            RealBars.eth15m().size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;

    @TempDir Path dir;

    /** The tests replay the same bars: each starts from empty tables. */
    @BeforeEach
    void emptyTables() {
        DB.truncateAll();
    }

    @Test
    void aReplayKilledMidwayResumesWithEveryForecastOnce() throws Exception {
        Path input = PipelineTestSupport.writeEthBars(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("unused"), "crash");
        List<Bar> eth = RealBars.eth15m();
        // about 20 s of replay: checkpoints complete and forecasts flow before the kill
        long span = eth.get(eth.size() - 1).time() - eth.get(0).time();
        settings.put("replay.speed", Double.toString(span / 20_000.0));
        String where = " WHERE symbol = 'X:ETHUSD'";

        Path state = dir.resolve("state");
        runUntilKilled(settings, state, "SELECT count(*) FROM predictions" + where);
        CliProcess again = start(settings, state, "second", Map.of());
        int exit = again.waitFor(RUN_TIMEOUT);

        assertThat(exit).as(again.output()).isZero();
        assertThat(again.output()).contains("Resuming from checkpoint " + state);
        assertThat(DB.count("SELECT count(*) FROM predictions" + where)).isEqualTo(EXPECTED);
        PipelineTestSupport.assertEachOnceOnTopic(KAFKA, "crash.predictions", EXPECTED);
    }

    @Test
    void aCleanStopLeavesASavepointTheNextStartResumesFrom() throws Exception {
        Path input = PipelineTestSupport.writeEthBars(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("unused"), "stopped");
        settings.put("replay.speed", Double.toString(replaySpanMillis() / 30_000.0));
        Path state = dir.resolve("state");
        String where = " WHERE symbol = 'X:ETHUSD'";

        CliProcess first = start(settings, state, "first", Map.of(), "--duration", "15s");
        assertThat(first.waitFor(RUN_TIMEOUT)).as(first.output()).isZero();
        long forecastsBeforeTheStop = DB.count("SELECT count(*) FROM predictions" + where);
        CliProcess again = start(settings, state, "second", Map.of());
        int exit = again.waitFor(RUN_TIMEOUT);

        assertThat(first.output()).contains("Final savepoint: file:" + state.resolve("savepoints"));
        assertThat(forecastsBeforeTheStop).as("stopped in the middle").isBetween(1L, EXPECTED - 1L);
        assertThat(exit).as(again.output()).isZero();
        assertThat(again.output())
                .contains("Resuming from savepoint " + state.resolve("savepoints"));
        // the windows came back with the savepoint: every bar after the stop was forecast
        assertThat(DB.count("SELECT count(*) FROM predictions" + where)).isEqualTo(EXPECTED);
        PipelineTestSupport.assertEachOnceOnTopic(KAFKA, "stopped.predictions", EXPECTED);
    }

    private static long replaySpanMillis() {
        List<Bar> eth = RealBars.eth15m();
        return eth.get(eth.size() - 1).time() - eth.get(0).time();
    }

    @Test
    void aPolygonBackfillKilledMidwayAsksNoRangeAgainThatItsCheckpointCovered() throws Exception {
        String key = "pk-crash-resume-7e57";
        String symbol = "X:ETHCRASH";
        List<Bar> eth = RealBars.eth15m().stream().map(b -> b.withSymbol(symbol)).toList();
        try (PolygonRestServer polygon = PolygonRestServer.start(key, Clock.systemUTC())) {
            polygon.add15MinuteBars(symbol, eth);
            // ten pages, one request a second: the backfill takes about ten seconds
            polygon.pageSize(20);
            Map<String, String> settings =
                    PipelineTestSupport.polygonSettings(
                            DB, KAFKA, dir, "crashpolygon", symbol, polygon.url(), 60);
            settings.put("parallelism", "1");
            String where = " WHERE symbol = '" + symbol + "'";
            Path state = dir.resolve("state");

            runUntilKilled(settings, state, "SELECT count(*) FROM bars" + where, key);
            int askedBeforeTheCrash = polygon.count();
            long resumeFrom = newestBarInCheckpointedRun(where);
            CliProcess again = start(settings, state, "second", Map.of("POLYGON_API_KEY", key));
            int exit = again.waitFor(RUN_TIMEOUT);

            assertThat(exit).as(again.output()).isZero();
            assertThat(again.output()).contains("Resuming from checkpoint");
            List<PolygonRestServer.Recorded> afterRestart =
                    polygon.requests().subList(askedBeforeTheCrash, polygon.count());
            assertThat(afterRestart).isNotEmpty();
            // the first request after the restart starts where the checkpoint had got, not at
            // polygon.backfill-from, and no later request goes back before it
            long firstFrom = rangeStart(afterRestart.get(0));
            assertThat(firstFrom).isGreaterThan(eth.get(0).time());
            assertThat(firstFrom).isLessThanOrEqualTo(resumeFrom + 900_000);
            for (PolygonRestServer.Recorded request : afterRestart) {
                if (request.path().contains("/range/")) {
                    assertThat(rangeStart(request)).isGreaterThanOrEqualTo(firstFrom);
                }
            }
            assertThat(DB.count("SELECT count(*) FROM bars" + where)).isEqualTo(eth.size());
            assertThat(DB.count("SELECT count(*) FROM predictions" + where)).isEqualTo(EXPECTED);
            PipelineTestSupport.assertEachOnceOnTopic(KAFKA, "crashpolygon.predictions", EXPECTED);
        }
    }

    /** Starts barcast run, waits for a completed checkpoint and some rows, then SIGKILLs it. */
    private void runUntilKilled(
            Map<String, String> settings, Path state, String progressQuery, String... apiKey)
            throws Exception {
        Map<String, String> env =
                apiKey.length == 0 ? Map.of() : Map.of("POLYGON_API_KEY", apiKey[0]);
        try (CliProcess first = start(settings, state, "first", env)) {
            StateFolder folder = StateFolder.of(state.toString());
            await().atMost(RUN_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("barcast ended before it was killed", () -> !first.isAlive())
                    .until(() -> folder.newest().isPresent() && DB.count(progressQuery) > 20);
            first.kill();
            assertThat(first.output()).contains("No saved state in");
        }
    }

    private CliProcess start(
            Map<String, String> settings,
            Path state,
            String name,
            Map<String, String> env,
            String... flags) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(flags));
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("state.dir", state.toString());
        all.put("ui.port", Integer.toString(FreePorts.onLoopback()));
        all.put("checkpoint.interval", "500ms");
        all.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return CliProcess.start(dir.resolve(name + ".out"), env, args);
    }

    /** The newest bar the killed run had written: its checkpoint got at least that far less one. */
    private static long newestBarInCheckpointedRun(String where) {
        return DB.count(
                "SELECT (extract(epoch FROM max(bar_time)) * 1000)::bigint FROM bars" + where);
    }

    private static final Pattern RANGE = Pattern.compile("/range/15/minute/(\\d+)/");

    private static long rangeStart(PolygonRestServer.Recorded request) {
        Matcher matcher = RANGE.matcher(request.path());
        assertThat(matcher.find()).as(request.path()).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
