package io.barcast.jobs;

import io.barcast.jobs.local.BindAddress;
import io.barcast.jobs.local.BoundPrometheusReporterFactory;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.RecoveryOptions;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.WebOptions;

/**
 * The Flink configuration barcast runs with: RocksDB state with incremental checkpoints into the
 * state folder, exactly-once checkpointing, a bounded restart strategy, the Prometheus reporter,
 * and whatever {@code flink.*} settings the user adds on top. In Flink 2 state backend and
 * checkpointing are configuration only, and they must reach the environment, not just the cluster.
 */
public final class FlinkSettings {

    private FlinkSettings() {}

    public static Configuration of(BarcastConfig config) {
        Configuration flink = new Configuration();
        flink.setString("parallelism.default", config.get(PipelineOptions.PARALLELISM).toString());
        flink.setString("state.backend.type", "rocksdb");
        flink.setString("execution.checkpointing.incremental", "true");
        flink.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        flink.setString(
                "execution.checkpointing.interval",
                config.get(PipelineOptions.CHECKPOINT_INTERVAL).toMillis() + " ms");
        flink.setString("execution.checkpointing.storage", "filesystem");
        String state = stateDir(config);
        flink.setString("execution.checkpointing.dir", state + "/checkpoints");
        flink.setString("execution.checkpointing.savepoint-dir", state + "/savepoints");
        // kept when the job fails or is cancelled (a crash), so the next start can resume from it
        flink.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        // a restored snapshot belongs to the new job, which deletes it once a newer one subsumes
        // it: the state folder holds the newest snapshots, not every run's
        flink.setString("execution.state-recovery.claim-mode", "CLAIM");
        restartStrategy(config, flink);
        if (config.get(PipelineOptions.PROMETHEUS_ENABLED)) {
            flink.setString(
                    "metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            flink.setString(
                    "metrics.reporter.prom.port", config.get(PipelineOptions.PROMETHEUS_PORT));
        }
        config.flinkSettings().forEach(flink::setString);
        return flink;
    }

    /**
     * Bounded, visible failure: exponential delay between restarts, and after {@code
     * restart.attempts} failures in a row the job fails for good (Flink's default retries forever).
     */
    private static void restartStrategy(BarcastConfig config, Configuration flink) {
        if (config.get(RecoveryOptions.RESTART_ATTEMPTS) == 0) {
            flink.setString("restart-strategy.type", "none");
            return;
        }
        flink.setString("restart-strategy.type", "exponential-delay");
        flink.setString(
                "restart-strategy.exponential-delay.initial-backoff",
                millis(config.get(RecoveryOptions.RESTART_INITIAL_DELAY)));
        flink.setString(
                "restart-strategy.exponential-delay.max-backoff",
                millis(config.get(RecoveryOptions.RESTART_MAX_DELAY)));
        flink.setString("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
        flink.setString("restart-strategy.exponential-delay.jitter-factor", "0.1");
        flink.setString(
                "restart-strategy.exponential-delay.reset-backoff-threshold",
                millis(config.get(RecoveryOptions.RESTART_RESET_AFTER)));
        flink.setString(
                "restart-strategy.exponential-delay.attempts-before-reset-backoff",
                config.get(RecoveryOptions.RESTART_ATTEMPTS).toString());
    }

    private static String millis(java.time.Duration duration) {
        return duration.toMillis() + " ms";
    }

    /** The state folder as a URI without a trailing slash: state.dir, else flink run's default. */
    public static String stateDir(BarcastConfig config) {
        String dir =
                config.isSet(RecoveryOptions.STATE_DIR)
                        ? config.get(RecoveryOptions.STATE_DIR).trim()
                        : RecoveryOptions.FLINK_RUN_STATE_DIR;
        if (!dir.contains("://") && !dir.startsWith("file:")) {
            dir = java.nio.file.Path.of(dir).toAbsolutePath().toUri().toString();
        }
        return dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    }

    /**
     * {@link #of} for a cluster this JVM starts itself (the commands of the CLI): every port it
     * opens listens on {@code bind-address} only, unless a {@code flink.*} setting says otherwise.
     */
    public static Configuration inProcess(BarcastConfig config) {
        Configuration flink = of(config);
        BindAddress address = BindAddress.of(config);
        Map<String, String> given = config.flinkSettings();
        setUnlessGiven(flink, given, "rest.bind-address", address.host());
        setUnlessGiven(flink, given, "rest.address", address.connectHost());
        // the RPC and blob server ports of the job manager, the RPC and data ports of the task
        // manager; Flink binds them to every interface unless told
        setUnlessGiven(flink, given, "jobmanager.bind-host", address.host());
        setUnlessGiven(flink, given, "jobmanager.rpc.address", address.connectHost());
        setUnlessGiven(flink, given, "taskmanager.bind-host", address.host());
        setUnlessGiven(flink, given, "taskmanager.host", address.connectHost());
        if (config.get(PipelineOptions.PROMETHEUS_ENABLED)
                && !given.containsKey(PROMETHEUS_FACTORY)) {
            flink.setString(PROMETHEUS_FACTORY, BoundPrometheusReporterFactory.class.getName());
            setUnlessGiven(flink, given, "metrics.reporter.prom.host", address.host());
        }
        return flink;
    }

    /** {@link #inProcess} plus what a local cluster with the web UI needs: slots, web UI port. */
    public static Configuration local(BarcastConfig config) {
        Configuration flink = inProcess(config);
        int parallelism = config.get(PipelineOptions.PARALLELISM);
        if (!config.flinkSettings().containsKey("taskmanager.numberOfTaskSlots")) {
            flink.setString("taskmanager.numberOfTaskSlots", Integer.toString(parallelism));
        }
        if (!config.flinkSettings().containsKey("rest.port")) {
            flink.setString("rest.port", config.get(PipelineOptions.UI_PORT).toString());
        }
        // the progress line reads the restarts from the REST API, whose metrics are otherwise
        // fetched every 10 s
        if (!config.flinkSettings().containsKey("metrics.fetcher.update-interval")) {
            flink.setString("metrics.fetcher.update-interval", "1 s");
        }
        // Whoever reaches the web UI could upload a jar and run it in this JVM, which holds the
        // database password and the Polygon key: no setting turns that on here.
        flink.set(WebOptions.SUBMIT_ENABLE, false);
        return flink;
    }

    private static final String PROMETHEUS_FACTORY = "metrics.reporter.prom.factory.class";

    private static void setUnlessGiven(
            Configuration flink, Map<String, String> given, String key, String value) {
        if (!given.containsKey(key)) {
            flink.setString(key, value);
        }
    }
}
