package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.barcast.core.Bar;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.testing.FlinkCluster;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * barcast on a real multi-process Flink cluster: a standalone JobManager and two TaskManagers, each
 * its own JVM from Flink's entry points with only Flink's libraries, configured by {@code
 * deploy/flink/config.yaml}, one slot each; the shaded job jar submitted, stopped and resubmitted
 * with Flink's own command line, exactly as the README's "flink run" section does it. A replay into
 * real PostgreSQL and Kafka survives a TaskManager killed with SIGKILL and a stop-with-savepoint
 * followed by a new submission from it: every forecast once in PostgreSQL and on the read_committed
 * topic.
 */
class FlinkClusterITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final int EXPECTED =
            RealBars.eth15m().size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
    private static final String FORECASTS =
            "SELECT count(*) FROM predictions WHERE symbol = 'X:ETHUSD'";

    private static Path dir;
    private static FlinkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Path.of("target", "flink-cluster").toAbsolutePath();
        deleteRecursively(dir);
        cluster =
                FlinkCluster.start(
                        dir,
                        Path.of("..", "deploy", "flink", "config.yaml"),
                        Path.of("..", "deploy", "flink", "lib", "target", "flink-lib.classpath"),
                        2,
                        1);
    }

    /** A test that failed half way leaves no job holding the slots the next one needs. */
    @AfterEach
    void cancelJobsLeftRunning() throws Exception {
        cluster.cancelRunningJobs();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void survivesALostTaskManagerAndAStopWithSavepointWithEveryForecastOnce() throws Exception {
        List<String> job = jobArguments("cluster");
        List<Bar> eth = RealBars.eth15m();
        long span = eth.get(eth.size() - 1).time() - eth.get(0).time();
        // about a minute of replay: time for a checkpoint, a lost TaskManager and a savepoint
        job.addAll(List.of("--set", "replay.speed=" + span / 60_000.0));
        job.addAll(List.of("--set", "checkpoint.interval=1s"));

        String first = FlinkCluster.jobIdIn(cluster.flink(env(), run(job)));

        // forecasts flow and a checkpoint is complete: lose a TaskManager that runs the job
        await().atMost(JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> completedCheckpoints(first) >= 1 && DB.count(FORECASTS) >= 15);
        List<String> running = cluster.taskManagersOf(first);
        assertThat(running).as("the job spreads over both TaskManagers").hasSize(2);
        long beforeKill = DB.count(FORECASTS);
        cluster.kill(running.get(0));
        // as Kubernetes or systemd would, a new TaskManager comes up in its place
        cluster.startTaskManager("tm-3");

        // Flink restarts the job from its checkpoint on the TaskManagers there are, and it goes on
        await().atMost(JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptions()
                .until(
                        () ->
                                cluster.restarts(first) >= 1
                                        && cluster.jobState(first).equals("RUNNING")
                                        && DB.count(FORECASTS) >= beforeKill + 10);

        // a stop with a savepoint in the middle of the replay, then a new job from it
        String savepoint =
                FlinkCluster.savepointIn(
                        cluster.flink(
                                env(),
                                "stop",
                                "--savepointPath",
                                dir.resolve("cluster")
                                        .resolve("state")
                                        .resolve("savepoints")
                                        .toUri()
                                        .toString(),
                                first));
        long atStop = DB.count(FORECASTS);
        assertThat(cluster.jobState(first)).isEqualTo("FINISHED");
        assertThat(atStop).as("stopped in the middle").isBetween(beforeKill + 10, EXPECTED - 1L);

        List<String> resume = new ArrayList<>(List.of("run", "-d", "-s", savepoint));
        resume.addAll(job);
        String second = FlinkCluster.jobIdIn(cluster.flink(env(), resume.toArray(String[]::new)));
        await().atMost(JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .failFast("the resumed job failed", () -> cluster.jobState(second).equals("FAILED"))
                .until(() -> cluster.jobState(second).equals("FINISHED"));

        // nothing lost and nothing doubled across the crash and the upgrade
        assertThat(DB.count(FORECASTS)).isEqualTo(EXPECTED);
        assertThat(
                        DB.count(
                                "SELECT count(DISTINCT as_of) FROM predictions WHERE symbol = 'X:ETHUSD'"))
                .isEqualTo(EXPECTED);
        PipelineTestSupport.assertEachOnceOnTopic(KAFKA, "cluster.predictions", EXPECTED);
    }

    @Test
    void takesASavepointOfARunningJobAndCancelsIt() throws Exception {
        List<String> args = jobArguments("slow");
        // slow enough to be running still when the savepoint is taken
        args.addAll(List.of("--set", "replay.speed=1"));
        String job = FlinkCluster.jobIdIn(cluster.flink(env(), run(args)));
        // all its tasks run once a checkpoint has completed
        await().atMost(JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> completedCheckpoints(job) >= 1);

        Path savepoints = dir.resolve("slow").resolve("state").resolve("savepoints");
        String savepoint =
                FlinkCluster.savepointIn(
                        cluster.flink(env(), "savepoint", job, savepoints.toUri().toString()));
        assertThat(Path.of(java.net.URI.create(savepoint)).resolve("_metadata")).exists();
        assertThat(cluster.jobState(job)).isEqualTo("RUNNING");

        cluster.flink(env(), "cancel", job);
        await().atMost(JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> cluster.jobState(job).equals("CANCELED"));
    }

    /**
     * The job jar and its settings for a replay of the real ETH bars into this test's database and
     * broker, on topics {@code <name>.*}, with its state under {@code <dir>/<name>/state}; the
     * bundled model, and the password left to {@link #env()}.
     */
    private static List<String> jobArguments(String name) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        Path input = PipelineTestSupport.writeEthBars(folder);
        List<String> args = new ArrayList<>(List.of(jobJar().toString()));
        PipelineTestSupport.settings(DB, KAFKA, input, folder.resolve("state"), name)
                .forEach(
                        (key, value) -> {
                            if (!key.equals("jdbc.password") && !key.equals("model.dir")) {
                                args.addAll(List.of("--set", key + "=" + value));
                            }
                        });
        return args;
    }

    /** The password comes from the environment: a job's arguments show in the web UI. */
    private static Map<String, String> env() {
        return Map.of(JdbcOptions.PASSWORD_ENV, DB.password());
    }

    private static String[] run(List<String> job) {
        List<String> args = new ArrayList<>(List.of("run", "-d"));
        args.addAll(job);
        return args.toArray(String[]::new);
    }

    private static long completedCheckpoints(String jobId) throws Exception {
        return cluster.get("/jobs/" + jobId + "/checkpoints")
                .get("counts")
                .get("completed")
                .asLong();
    }

    private static Path jobJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no *-job.jar in target/: run package"))
                    .toAbsolutePath();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
