package io.barcast.jobs;

import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.PipelineOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The Flink configuration barcast runs with: RocksDB state with incremental checkpoints,
 * exactly-once checkpointing, the Prometheus reporter, and whatever {@code flink.*} settings the
 * user adds on top. In Flink 2 state backend and checkpointing are configuration only, and they
 * must reach the environment, not just the cluster.
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
        flink.setString("execution.checkpointing.dir", config.get(PipelineOptions.CHECKPOINT_DIR));
        flink.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
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

    /** The same plus what a local cluster in this JVM needs: slots, web UI port. */
    public static Configuration local(BarcastConfig config) {
        Configuration flink = of(config);
        int parallelism = config.get(PipelineOptions.PARALLELISM);
        if (!config.flinkSettings().containsKey("taskmanager.numberOfTaskSlots")) {
            flink.setString("taskmanager.numberOfTaskSlots", Integer.toString(parallelism));
        }
        if (!config.flinkSettings().containsKey("rest.port")) {
            flink.setString("rest.port", config.get(PipelineOptions.UI_PORT).toString());
        }
        if (!config.flinkSettings().containsKey("rest.address")) {
            flink.setString("rest.address", "localhost");
        }
        return flink;
    }
}
