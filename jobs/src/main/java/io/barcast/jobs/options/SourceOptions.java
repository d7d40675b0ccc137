package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Where bars come from. */
public final class SourceOptions {

    /** The kinds of bar source, each named by the value of {@link #SOURCE} that selects it. */
    public enum SourceKind {
        SIMULATOR("simulator"),
        REPLAY("replay"),
        POLYGON("polygon"),
        KAFKA("kafka");

        private final String value;

        SourceKind(String value) {
            this.value = value;
        }

        /** The option value that selects this source, e.g. {@code polygon}. */
        public String value() {
            return value;
        }

        /** Every value the option takes: {@code [simulator, replay, polygon, kafka]}. */
        public static List<String> optionValues() {
            return Arrays.stream(values()).map(SourceKind::value).toList();
        }

        /**
         * The source {@code value} selects.
         *
         * @throws InvalidOptionException naming {@link #SOURCE} when no source has that value
         */
        public static SourceKind of(String value) {
            for (SourceKind kind : values()) {
                if (kind.value.equals(value)) {
                    return kind;
                }
            }
            throw new InvalidOptionException(
                    SOURCE.key(), "'" + value + "' is not one of " + optionValues());
        }
    }

    public static final ConfigOption<String> SOURCE =
            key("source")
                    .stringType()
                    .defaultValue(SourceKind.SIMULATOR.value())
                    .withDescription(
                            "Where bars come from: simulator (built-in market), replay (bar files),"
                                    + " polygon (Polygon REST/WebSocket) or kafka (JSON bars on"
                                    + " kafka.topic.bars).");

    public static final ConfigOption<Integer> SIMULATOR_SYMBOLS =
            key("simulator.symbols")
                    .intType()
                    .defaultValue(20)
                    .withDescription(
                            "How many symbols the simulator trades; every 4th is a 24x7 crypto"
                                    + " pair.");

    public static final ConfigOption<Long> SIMULATOR_SEED =
            key("simulator.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Seed of the simulated market: the same seed, the same bars.");

    public static final ConfigOption<Double> SIMULATOR_SPEED =
            key("simulator.speed")
                    .doubleType()
                    .defaultValue(14400.0)
                    .withDescription(
                            "Market time per wall-clock time (14400: four hours of market a second);"
                                    + " 0 for as fast as possible.");

    public static final ConfigOption<String> SIMULATOR_START =
            key("simulator.start")
                    .stringType()
                    .defaultValue("2026-01-05T00:00:00Z")
                    .withDescription("Market time the simulation starts at (ISO-8601 instant).");

    public static final ConfigOption<Long> SIMULATOR_BARS_PER_SYMBOL =
            key("simulator.bars-per-symbol")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "Bars per symbol after which the simulator ends; 0 for an endless"
                                    + " market.");

    public static final ConfigOption<Double> SIMULATOR_GLITCH_RATE =
            key("simulator.glitch-rate")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Share of simulated bars delivered broken (bad prices, negative volume,"
                                    + " off-grid times) for the dead letters to catch; the demo"
                                    + " uses 0.001.");

    public static final ConfigOption<String> REPLAY_PATH =
            key("replay.path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Bar file or directory to replay (CSV, JSON lines, saved Polygon"
                                    + " aggregates responses); several separated by commas.");

    public static final ConfigOption<Double> REPLAY_SPEED =
            key("replay.speed")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Market time per wall-clock time for replays; 0 for as fast as"
                                    + " possible.");

    public static final ConfigOption<Boolean> REPLAY_BOUNDED =
            key("replay.bounded")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether the job ends after the last replayed bar (true) or stays up"
                                    + " as on a live feed (false).");

    public static final ConfigOption<Integer> REPLAY_MAX_LINE_BYTES =
            key("replay.max-line-bytes")
                    .intType()
                    .defaultValue(1 << 20)
                    .withDescription(
                            "Longest line (bytes) a replayed file may have; a longer line is"
                                    + " skipped to its end without being held in memory and goes"
                                    + " to the dead letters with its first characters. 256 to"
                                    + " 268435456; 1 MiB by default.");

    public static final ConfigOption<String> REPLAY_FROM =
            key("replay.from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay only bars at or after this time (2023-03-14,"
                                    + " 2023-03-14T12:00:00Z or epoch ms); unparsable lines are"
                                    + " replayed whatever their place.");

    public static final ConfigOption<String> REPLAY_TO =
            key("replay.to")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay only bars before this time (exclusive; same forms as"
                                    + " replay.from).");

    private SourceOptions() {}
}
