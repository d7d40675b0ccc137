package io.barcast.jobs.local;

import io.barcast.api.ApiSettings;
import io.barcast.core.Secrets;
import io.barcast.jobs.Failures;
import io.barcast.jobs.FlinkSettings;
import io.barcast.jobs.PredictionJob;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.PipelineOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs the job on a Flink cluster inside this JVM, with the web UI, and reports progress until the
 * job ends, the duration is over, or Ctrl-C. Stopping takes a final savepoint: sources stop, every
 * record in flight reaches the sinks, a final savepoint commits the Kafka transactions.
 */
public final class LocalRunner {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final BarcastConfig config;
    private final PrintStream out;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private String restorePath;
    private ApiSettings apiSettings;
    private boolean apiPortChosen;
    private LocalApi api;

    public LocalRunner(BarcastConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Starts the job from this checkpoint or savepoint instead of empty. */
    public LocalRunner restoreFrom(String snapshotPath) {
        this.restorePath = snapshotPath;
        return this;
    }

    /**
     * Also serves the query API while the job runs ({@code settings} without the Flink REST
     * address, which this runner fills in); {@code portChosen}: the port was set explicitly.
     */
    public LocalRunner withApi(ApiSettings settings, boolean portChosen) {
        this.apiSettings = settings;
        this.apiPortChosen = portChosen;
        return this;
    }

    /** Asks a running {@link #run} to stop with a savepoint, as Ctrl-C does. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * @param duration how long to run, or null for as long as the job runs
     * @return 0 when the job finished or was stopped cleanly, 1 when it failed
     */
    public int run(Duration duration) throws Exception {
        PredictionJob.prepareExternalSystems(config);
        Configuration flink = FlinkSettings.local(config);
        if (restorePath != null) {
            flink.setString("execution.state-recovery.path", restorePath);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        PredictionJob.define(env, config);
        JobClient job = env.executeAsync(PredictionJob.JOB_NAME);

        // Ctrl-C and SIGTERM stop the job with a savepoint instead of shutting the JVM down under
        // it (the
        // JVM's shutdown hooks would stop the local cluster and the embedded database at once).
        // A second Ctrl-C falls back to the usual immediate exit.
        Map<Signal, SignalHandler> previous = new HashMap<>();
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            previous.put(
                    signal,
                    Signal.handle(
                            signal,
                            caught -> {
                                if (stopRequested.getAndSet(true)) {
                                    previous.get(caught).handle(caught);
                                }
                            }));
        }
        try {
            if (apiSettings != null) {
                api =
                        LocalApi.start(
                                apiSettings.toBuilder()
                                        .flinkRestUrl(
                                                BindAddress.parse(
                                                                flink.get(RestOptions.BIND_ADDRESS))
                                                        .url(flink.get(RestOptions.PORT), ""))
                                        .build(),
                                apiPortChosen);
            }
            printWhereThingsAre(job, flink);
            JobHealth health =
                    new JobHealth(
                            BindAddress.parse(flink.get(RestOptions.BIND_ADDRESS))
                                    .url(flink.get(RestOptions.PORT), ""),
                            job.getJobID().toString());
            return supervise(job, duration, health);
        } finally {
            previous.forEach(Signal::handle);
            if (api != null) {
                api.close();
            }
        }
    }

    private int supervise(JobClient job, Duration duration, JobHealth health) throws Exception {
        long start = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        Progress progress = new Progress(config, out, health);
        while (true) {
            // A finished job takes the local cluster down with it: ask the result, not the status.
            CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
            if (result.isDone()) {
                progress.report(start);
                try {
                    result.get();
                    out.println("Job finished.");
                    return 0;
                } catch (ExecutionException e) {
                    out.println("Job failed: " + Failures.rootMessage(e));
                    if (restorePath != null) {
                        out.println(
                                "It was resumed from "
                                        + restorePath
                                        + "; if that state no longer fits this job, --fresh"
                                        + " starts without it.");
                    }
                    return 1;
                }
            }
            if (stopRequested.get() || System.nanoTime() >= deadline) {
                out.println("Stopping: taking a final savepoint and committing the results...");
                stopWithSavepoint(job);
                progress.report(start);
                out.println("Stopped.");
                return 0;
            }
            progress.report(start);
            waitUntil(Math.min(deadline, System.nanoTime() + PROGRESS_EVERY.toNanos()));
        }
    }

    private void waitUntil(long nanoTime) throws InterruptedException {
        while (System.nanoTime() < nanoTime && !stopRequested.get()) {
            TimeUnit.MILLISECONDS.sleep(
                    Math.min(100, Math.max(1, (nanoTime - System.nanoTime()) / 1_000_000)));
        }
    }

    /**
     * Stops the job with a savepoint in the state folder, where the next {@code barcast run}
     * resumes from it. Not drained: draining would end event time, firing every symbol's TTL timer
     * and emptying the state the next run is to go on with.
     */
    private void stopWithSavepoint(JobClient job) throws Exception {
        // into the state folder, where the next start looks for it
        String savepoints = FlinkSettings.stateDir(config) + "/savepoints";
        try {
            String savepoint =
                    job.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL)
                            .get(120, TimeUnit.SECONDS);
            out.println("Final savepoint: " + savepoint);
        } catch (Exception e) {
            out.println("Could not stop with a savepoint (" + e.getMessage() + "); cancelling.");
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private void printWhereThingsAre(JobClient job, Configuration flink) {
        out.println();
        out.println("barcast is running (job " + job.getJobID() + ")");
        BindAddress web = BindAddress.parse(flink.get(RestOptions.BIND_ADDRESS));
        out.println(
                "  Flink web UI : "
                        + web.url(flink.get(RestOptions.PORT), "")
                        + " ("
                        + web.reach()
                        + ")");
        if (config.get(PipelineOptions.PROMETHEUS_ENABLED)) {
            // Flink's own reporter, when a flink.* setting picks it, listens everywhere
            BindAddress metrics =
                    BindAddress.parse(
                            flink.get(
                                    ConfigOptions.key("metrics.reporter.prom.host")
                                            .stringType()
                                            .defaultValue("0.0.0.0")));
            out.println(
                    "  Metrics      : "
                            + metrics.url(
                                    Integer.parseInt(
                                            config.get(PipelineOptions.PROMETHEUS_PORT)
                                                    .split("-")[0]
                                                    .trim()),
                                    "/metrics")
                            + " (Prometheus, "
                            + metrics.reach()
                            + ")");
        }
        out.println(
                "  PostgreSQL   : "
                        + Secrets.maskUrlPasswords(config.get(JdbcOptions.URL))
                        + userHint());
        out.println("  Kafka        : " + config.get(KafkaOptions.BOOTSTRAP_SERVERS));
        if (api != null) {
            out.println(
                    "  Query API    : "
                            + api.url()
                            + "/api/v1/status (OpenAPI: "
                            + api.url()
                            + "/api/v1/openapi.json)");
            out.println(
                    "  API key      : "
                            + api.key()
                            + " (admin, for this run only; send it as X-API-Key)");
            out.println(
                    "  Live stream  : curl -N -H 'X-API-Key: "
                            + api.key()
                            + "' "
                            + api.url()
                            + "/api/v1/stream/predictions");
            out.println(
                    "  Dashboard    : "
                            + api.url()
                            + "/ (in a browser; it asks for the key above)");
        }
        out.println(
                "  Topics       : "
                        + String.join(", ", PredictionJob.topics(config))
                        + " (exactly-once: read with isolation.level=read_committed)");
        out.println();
    }

    private String userHint() {
        String user = config.get(JdbcOptions.USER);
        return user.isEmpty() ? "" : " (user " + user + ")";
    }

    /** Progress from the sink tables: what really arrived, not what operators think they sent. */
    private static final class Progress {
        private final BarcastConfig config;
        private final PrintStream out;
        private long lastNanos;
        private final JobHealth health;
        private long[] last = new long[6];

        Progress(BarcastConfig config, PrintStream out, JobHealth health) {
            this.config = config;
            this.out = out;
            this.health = health;
        }

        void report(long startNanos) {
            long now = System.nanoTime();
            long[] counts;
            try {
                counts = counts();
            } catch (Exception e) {
                out.println(
                        "(progress unavailable: "
                                + e.getMessage()
                                + ")"
                                + health.read().describe());
                return;
            }
            double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
            long elapsed = (now - startNanos) / 1_000_000_000L;
            out.printf(
                    "[%02d:%02d] bars in %,d (%s/s) | forecasts out %,d (%s/s) | repredicted %,d"
                            + " | active trades %,d | alerts %,d | dead letters %,d%s%n",
                    elapsed / 60,
                    elapsed % 60,
                    counts[0],
                    rate(counts[0] - last[0], seconds),
                    counts[1],
                    rate(counts[1] - last[1], seconds),
                    counts[5],
                    counts[3],
                    counts[4],
                    counts[2],
                    health.read().describe());
            last = counts;
            lastNanos = now;
        }

        private static String rate(long delta, double seconds) {
            return seconds <= 0 ? "-" : String.format("%,.0f", delta / seconds);
        }

        private long[] counts() throws Exception {
            try (Connection connection =
                            DriverManager.getConnection(
                                    config.get(JdbcOptions.URL),
                                    config.get(JdbcOptions.USER),
                                    config.get(JdbcOptions.PASSWORD));
                    Statement statement = connection.createStatement();
                    ResultSet row =
                            statement.executeQuery(
                                    "SELECT (SELECT count(*) FROM bars),"
                                            + " (SELECT count(*) FROM predictions),"
                                            + " (SELECT count(*) FROM dead_letters),"
                                            + " (SELECT count(*) FROM recommendations"
                                            + " WHERE status = 'active'),"
                                            + " (SELECT count(*) FROM alerts),"
                                            + " (SELECT count(*) FROM predictions WHERE reason IN"
                                            + " ('validation_drift', 'accuracy_drop', 'manual'))")) {
                row.next();
                long[] counts = new long[6];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = row.getLong(i + 1);
                }
                return counts;
            }
        }
    }
}
