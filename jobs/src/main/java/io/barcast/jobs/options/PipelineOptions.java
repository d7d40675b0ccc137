package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** The job itself: parallelism, checkpoints, state, event time. */
public final class PipelineOptions {

    public static final ConfigOption<Integer> PARALLELISM =
            key("parallelism").intType().defaultValue(2).withDescription("Job parallelism.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval; Kafka results become visible to read_committed"
                                    + " readers at each checkpoint.");

    public static final ConfigOption<Duration> WINDOW_TTL =
            key("window.ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(10))
                    .withDescription(
                            "A symbol silent this long in event time has its window state"
                                    + " cleared.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "How far event time trails the newest bar; it decides when the"
                                    + " window TTL timers fire (lateness is judged per symbol).");

    public static final ConfigOption<Duration> IDLENESS =
            key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "A source split silent this long stops holding back event time.");

    public static final ConfigOption<Duration> MAX_AHEAD =
            key("time.max-ahead")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "A bar ending more than this after the wall clock is a dead letter"
                                    + " (replay, polygon and kafka sources; the simulator keeps"
                                    + " a clock of its own).");

    public static final ConfigOption<String> BIND_ADDRESS =
            key("bind-address")
                    .stringType()
                    .defaultValue("127.0.0.1")
                    .withDescription(
                            "Address the local stack listens on: the Flink web UI and REST"
                                    + " API, Flink's own ports, the Prometheus endpoint and the"
                                    + " embedded Kafka of 'demo'. The default keeps them closed to"
                                    + " other machines; 0.0.0.0 opens them to the network. The"
                                    + " embedded PostgreSQL always stays on the loopback address:"
                                    + " it lets local connections in without a password.");

    public static final ConfigOption<Integer> UI_PORT =
            key("ui.port")
                    .intType()
                    .defaultValue(8081)
                    .withDescription("Port of the Flink web UI of the local cluster.");

    public static final ConfigOption<Boolean> PROMETHEUS_ENABLED =
            key("metrics.prometheus.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Expose metrics through Flink's Prometheus reporter.");

    public static final ConfigOption<String> PROMETHEUS_PORT =
            key("metrics.prometheus.port")
                    .stringType()
                    .defaultValue("9249")
                    .withDescription("Port (or range, e.g. 9249-9259) of the Prometheus reporter.");

    private PipelineOptions() {}
}
