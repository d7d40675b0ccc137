package io.barcast.jobs;

import io.barcast.connectors.kafka.KafkaBarDeserializer;
import io.barcast.connectors.replay.ReplaySource;
import io.barcast.connectors.simulator.SimulatorSource;
import io.barcast.core.IncomingBar;
import io.barcast.core.simulator.MarketSimulator;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InvalidOptionException;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.SourceOptions;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** The bar source the {@code source} option names, built from its options. */
public final class BarSources {

    private BarSources() {}

    public static Source<IncomingBar, ?, ?> create(BarcastConfig config) {
        String source = config.get(SourceOptions.SOURCE);
        return switch (source) {
            case "simulator" ->
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
            case "replay" -> replay(config);
            case "kafka" ->
                    KafkaSource.<IncomingBar>builder()
                            .setBootstrapServers(requireKafka(config))
                            .setTopics(config.get(KafkaOptions.TOPIC_BARS))
                            .setGroupId(config.get(KafkaOptions.GROUP_ID))
                            .setStartingOffsets(OffsetsInitializer.earliest())
                            .setDeserializer(new KafkaBarDeserializer())
                            .setProperty("isolation.level", "read_committed")
                            .build();
            case "polygon" ->
                    throw new InvalidOptionException(
                            SourceOptions.SOURCE.key(),
                            "the Polygon connector is not part of this build yet; use simulator, replay"
                                    + " or kafka");
            default ->
                    throw new InvalidOptionException(
                            SourceOptions.SOURCE.key(), "unknown source '" + source + "'");
        };
    }

    private static Source<IncomingBar, ?, ?> replay(BarcastConfig config) {
        ReplaySource.Builder builder =
                ReplaySource.builder()
                        .speed(config.get(SourceOptions.REPLAY_SPEED))
                        .bounded(config.get(SourceOptions.REPLAY_BOUNDED));
        for (String path : config.get(SourceOptions.REPLAY_PATH).split(",")) {
            builder.path(Path.of(path.trim()));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(SourceOptions.REPLAY_PATH.key(), e.getMessage());
        }
    }

    static String requireKafka(BarcastConfig config) {
        if (!config.isSet(KafkaOptions.BOOTSTRAP_SERVERS)) {
            throw new InvalidOptionException(
                    KafkaOptions.BOOTSTRAP_SERVERS.key(), "is required to run against Kafka");
        }
        return config.get(KafkaOptions.BOOTSTRAP_SERVERS);
    }
}
