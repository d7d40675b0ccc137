package io.barcast.jobs;

import io.barcast.connectors.kafka.KafkaBarDeserializer;
import io.barcast.connectors.kafka.KafkaMessageDeserializer;
import io.barcast.connectors.polygon.PolygonMode;
import io.barcast.connectors.polygon.PolygonSource;
import io.barcast.connectors.polygon.PolygonSourceOptions;
import io.barcast.connectors.replay.ReplaySource;
import io.barcast.connectors.simulator.SimulatorSource;
import io.barcast.core.IncomingBar;
import io.barcast.core.TopicMessage;
import io.barcast.core.json.BarFormats;
import io.barcast.core.simulator.MarketSimulator;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InvalidOptionException;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.MonitorOptions;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.SourceOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.TimeUtils;

/** The bar source the {@code source} option names, built from its options. */
public final class BarSources {

    private BarSources() {}

    public static Source<IncomingBar, ?, ?> create(BarcastConfig config) {
        return switch (config.source()) {
            case SIMULATOR ->
                    SimulatorSource.builder()
                            .symbols(
                                    MarketSimulator.symbols(
                                            config.get(SourceOptions.SIMULATOR_SYMBOLS)))
                            .seed(config.get(SourceOptions.SIMULATOR_SEED))
                            .start(Instant.parse(config.get(SourceOptions.SIMULATOR_START)))
                            .speed(config.get(SourceOptions.SIMULATOR_SPEED))
                            .barsPerSymbol(config.get(SourceOptions.SIMULATOR_BARS_PER_SYMBOL))
                            .glitchRate(config.get(SourceOptions.SIMULATOR_GLITCH_RATE))
                            .build();
            case REPLAY -> replay(config);
            case KAFKA ->
                    KafkaSource.<IncomingBar>builder()
                            .setBootstrapServers(requireKafka(config))
                            .setTopics(config.get(KafkaOptions.TOPIC_BARS))
                            .setGroupId(config.get(KafkaOptions.GROUP_ID))
                            .setStartingOffsets(OffsetsInitializer.earliest())
                            .setDeserializer(new KafkaBarDeserializer())
                            .setProperty("isolation.level", "read_committed")
                            .build();
            case POLYGON -> polygon(config, System.getenv(), Clock.systemUTC());
        };
    }

    private static Source<IncomingBar, ?, ?> replay(BarcastConfig config) {
        ReplaySource.Builder builder =
                ReplaySource.builder()
                        .speed(config.get(SourceOptions.REPLAY_SPEED))
                        .bounded(config.get(SourceOptions.REPLAY_BOUNDED))
                        .maxLineBytes(config.get(SourceOptions.REPLAY_MAX_LINE_BYTES))
                        .between(
                                replayTime(config, SourceOptions.REPLAY_FROM, Long.MIN_VALUE),
                                replayTime(config, SourceOptions.REPLAY_TO, Long.MAX_VALUE));
        for (String path : config.get(SourceOptions.REPLAY_PATH).split(",")) {
            builder.path(Path.of(path.trim()));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw namingTheOption(e, "replay.", SourceOptions.REPLAY_PATH);
        }
    }

    /** A replay window's bound in epoch ms, or {@code unset} when the option is not set. */
    private static long replayTime(BarcastConfig config, ConfigOption<String> option, long unset) {
        if (!config.isSet(option)) {
            return unset;
        }
        String value = config.get(option).trim();
        try {
            return BarFormats.parseTime(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(
                    option.key(),
                    "'"
                            + value
                            + "' is neither a date (2023-03-14), an instant"
                            + " (2023-03-14T12:00:00Z) nor epoch milliseconds");
        }
    }

    /**
     * The Polygon source of the {@code polygon.*} options; the key comes from {@code
     * polygon.api-key} or else the environment's {@code POLYGON_API_KEY}.
     */
    static PolygonSource polygon(BarcastConfig config, Map<String, String> env, Clock clock) {
        String key =
                config.isSet(PolygonSourceOptions.API_KEY)
                        ? config.get(PolygonSourceOptions.API_KEY)
                        : env.get(PolygonSourceOptions.API_KEY_ENV);
        PolygonSource.Builder builder =
                PolygonSource.builder()
                        .symbols(List.of(config.get(PolygonSourceOptions.SYMBOLS).split(",")))
                        .restUrl(config.get(PolygonSourceOptions.REST_URL))
                        .wsUrl(config.get(PolygonSourceOptions.WS_URL))
                        .backfillFrom(
                                instant(
                                        PolygonSourceOptions.BACKFILL_FROM,
                                        config.get(PolygonSourceOptions.BACKFILL_FROM),
                                        clock))
                        .pollInterval(config.get(PolygonSourceOptions.POLL_INTERVAL))
                        .delay(config.get(PolygonSourceOptions.DELAY))
                        .revisionGrace(config.get(PolygonSourceOptions.REVISION_GRACE))
                        .requestsPerMinute(config.get(PolygonSourceOptions.REQUESTS_PER_MINUTE))
                        .connectTimeout(config.get(PolygonSourceOptions.CONNECT_TIMEOUT))
                        .requestTimeout(config.get(PolygonSourceOptions.REQUEST_TIMEOUT))
                        .retryBackoff(
                                config.get(PolygonSourceOptions.RETRY_BACKOFF),
                                config.get(PolygonSourceOptions.RETRY_MAX_BACKOFF))
                        .extendedHours(config.get(PolygonSourceOptions.EXTENDED_HOURS))
                        .apiKey(key)
                        .splits(config.get(PipelineOptions.PARALLELISM))
                        .clock(clock);
        if (config.isSet(PolygonSourceOptions.BACKFILL_TO)) {
            builder.backfillTo(
                    instant(
                            PolygonSourceOptions.BACKFILL_TO,
                            config.get(PolygonSourceOptions.BACKFILL_TO),
                            clock));
        }
        try {
            builder.mode(PolygonMode.of(config.get(PolygonSourceOptions.MODE)));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(
                    PolygonSourceOptions.MODE.key(),
                    "'" + config.get(PolygonSourceOptions.MODE) + "' is not rest or websocket");
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw namingTheOption(e, "polygon.", SourceOptions.SOURCE);
        }
    }

    /**
     * A builder's refusal as an option error: against the option its message starts with ({@code
     * polygon.delay: ...}) when that is one of {@code prefix}, else against {@code otherwise}.
     */
    private static InvalidOptionException namingTheOption(
            IllegalArgumentException refusal, String prefix, ConfigOption<?> otherwise) {
        String message = refusal.getMessage();
        int colon = message.indexOf(": ");
        if (colon > 0 && message.startsWith(prefix)) {
            return new InvalidOptionException(
                    message.substring(0, colon), message.substring(colon + 2));
        }
        return new InvalidOptionException(otherwise.key(), message);
    }

    /**
     * A time as bar files give it (an ISO date at UTC midnight, an ISO instant, epoch ms), or a
     * duration back from now ({@code 30d}).
     */
    static Instant instant(ConfigOption<String> option, String text, Clock clock) {
        String value = text.trim();
        try {
            return Instant.ofEpochMilli(BarFormats.parseTime(value));
        } catch (IllegalArgumentException notATime) {
            try {
                return clock.instant().minus(TimeUtils.parseDuration(value));
            } catch (RuntimeException notADuration) {
                throw new InvalidOptionException(
                        option.key(),
                        "'"
                                + value
                                + "' is neither a date (2026-10-01), an instant"
                                + " (2026-10-01T13:30:00Z) nor a duration (30d)");
            }
        }
    }

    /**
     * The repredictions topic read back into the job, or null when there is no loop: {@code
     * reprediction.loop} is off, or the bars are bounded (a replay that ends; the loop would keep
     * the job running after its input).
     */
    public static Source<TopicMessage, ?, ?> repredictions(
            BarcastConfig config, Boundedness barsBoundedness) {
        if (!config.get(MonitorOptions.REPREDICTION_LOOP)
                || barsBoundedness == Boundedness.BOUNDED) {
            return null;
        }
        return KafkaSource.<TopicMessage>builder()
                .setBootstrapServers(requireKafka(config))
                .setTopics(config.get(KafkaOptions.TOPIC_REPREDICTIONS))
                .setGroupId(config.get(KafkaOptions.GROUP_ID) + "-repredictions")
                // a new job answers requests from now on, not a backlog of old ones
                .setStartingOffsets(OffsetsInitializer.latest())
                .setDeserializer(new KafkaMessageDeserializer())
                .setProperty("isolation.level", "read_committed")
                // where it got to lives in the checkpoints; the group's offsets are not read
                .setProperty("commit.offsets.on.checkpoint", "false")
                .build();
    }

    static String requireKafka(BarcastConfig config) {
        if (!config.isSet(KafkaOptions.BOOTSTRAP_SERVERS)) {
            throw new InvalidOptionException(
                    KafkaOptions.BOOTSTRAP_SERVERS.key(), "is required to run against Kafka");
        }
        return config.get(KafkaOptions.BOOTSTRAP_SERVERS);
    }
}
