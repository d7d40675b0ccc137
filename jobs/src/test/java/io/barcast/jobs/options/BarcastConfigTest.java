package io.barcast.jobs.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarcastConfigTest {

    @Test
    void usesTheDefaultsWhenNothingIsSet() {
        BarcastConfig config = BarcastConfig.of(Map.of());
        assertThat(config.get(SourceOptions.SOURCE)).isEqualTo("simulator");
        assertThat(config.get(SourceOptions.SIMULATOR_SYMBOLS)).isEqualTo(20);
        assertThat(config.get(InferenceOptions.BATCH_WAIT)).isEqualTo(Duration.ofMillis(5));
        assertThat(config.isSet(JdbcOptions.URL)).isFalse();
    }

    @Test
    void anUnknownOptionIsNamedWithTheNearestKnownOne() {
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("simulator.symbol", "5")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'simulator.symbol'")
                .hasMessageContaining("did you mean 'simulator.symbols'");
    }

    @Test
    void aValueThatDoesNotParseNamesItsOption() {
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("simulator.speed", "fast")))
                .hasMessageStartingWith("option 'simulator.speed'")
                .hasMessageContaining("fast");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("inference.batch-size", "0")))
                .hasMessageStartingWith("option 'inference.batch-size': must be positive");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("source", "carrier-pigeon")))
                .hasMessageStartingWith("option 'source'");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("source", "replay")))
                .hasMessageStartingWith("option 'replay.path': is required");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("jdbc.url", "mysql://x")))
                .hasMessageStartingWith("option 'jdbc.url'");
    }

    @Test
    void eachSourceKindIsSelectedByTheValueUsersWrite() {
        assertThat(SourceOptions.SourceKind.optionValues())
                .containsExactly("simulator", "replay", "polygon", "kafka");
        assertThat(BarcastConfig.of(Map.of()).source())
                .isEqualTo(SourceOptions.SourceKind.SIMULATOR);
        assertThat(BarcastConfig.of(Map.of("source", "kafka")).source())
                .isEqualTo(SourceOptions.SourceKind.KAFKA);
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("source", "Kafka")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage(
                        "option 'source': 'Kafka' is not one of [simulator, replay, polygon,"
                                + " kafka]");
    }

    @Test
    void confidenceWeightsMustSumToOneAndTheErrorNamesTheOption() {
        assertThatThrownBy(
                        () ->
                                BarcastConfig.of(
                                        Map.of("confidence.weights", "model_performance=0.5")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("option 'confidence.weights'")
                .hasMessageContaining("sum");
        assertThatThrownBy(
                        () -> BarcastConfig.of(Map.of("confidence.weights", "model_quality=0.25")))
                .hasMessageStartingWith("option 'confidence.weights'")
                .hasMessageContaining("model_quality");
        // moving weight between two factors keeps the sum
        BarcastConfig moved =
                BarcastConfig.of(
                        Map.of("confidence.weights", "model_performance=0.20,data_quality=0.20"));
        assertThat(moved.get(ForecastOptions.CONFIDENCE_WEIGHTS)).contains("0.20");
    }

    @Test
    void forecastAndCalendarOptionsAreCheckedByName() {
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("band.coverage", "1.2")))
                .hasMessageStartingWith("option 'band.coverage'");
        assertThatThrownBy(
                        () ->
                                BarcastConfig.of(
                                        Map.of(
                                                "band.min-residuals", "50",
                                                "band.residual-window", "40")))
                .hasMessageStartingWith("option 'band.residual-window'");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("recommendation.min-confidence", "2")))
                .hasMessageStartingWith("option 'recommendation.min-confidence'");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("confidence.model-age-half-life", "0s")))
                .hasMessageStartingWith("option 'confidence.model-age-half-life'");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("calendar.symbols", "AAPL=XLON")))
                .hasMessageStartingWith("option 'calendar.symbols'")
                .hasMessageContaining("XLON");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("calendar.symbols", "AAPL")))
                .hasMessageStartingWith("option 'calendar.symbols'");
        assertThatThrownBy(
                        () ->
                                BarcastConfig.of(
                                        Map.of("calendar.xnys.extra-closures", "2027-13-01")))
                .hasMessageStartingWith("option 'calendar.xnys.extra-closures'");
        assertThatThrownBy(
                        () ->
                                BarcastConfig.of(
                                        Map.of(
                                                "calendar.xnys.extra-early-closes",
                                                "2027-12-24=1pm")))
                .hasMessageStartingWith("option 'calendar.xnys.extra-early-closes'");
    }

    @Test
    void streamOptionsAreCheckedByName() {
        for (Map.Entry<String, String> bad :
                Map.of(
                                "api.stream.client-buffer", "0",
                                "api.stream.max-clients", "-1",
                                "api.stream.heartbeat", "1min",
                                "api.stream.token-lifetime", "2h")
                        .entrySet()) {
            assertThatThrownBy(() -> BarcastConfig.of(Map.of(bad.getKey(), bad.getValue())))
                    .as(bad.toString())
                    .isInstanceOf(InvalidOptionException.class)
                    .hasMessageStartingWith("option '" + bad.getKey() + "'");
        }
        BarcastConfig set =
                BarcastConfig.of(
                        Map.of("api.stream.heartbeat", "5s", "api.stream.client-buffer", "50"));
        assertThat(set.get(ApiOptions.STREAM_HEARTBEAT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.get(ApiOptions.STREAM_CLIENT_BUFFER)).isEqualTo(50);
    }

    @Test
    void aSymbolCanBeMovedToAnotherCalendarAndTheXnysCalendarCorrected() {
        BarcastConfig config =
                BarcastConfig.of(
                        Map.of(
                                "calendar.symbols", "X:BTCUSD=XNYS,SPY=24x7",
                                "calendar.xnys.extra-closures", "2027-01-04",
                                "calendar.xnys.extra-early-closes", "2027-01-05=12:00"));
        var calendars = io.barcast.jobs.ForecastSettings.calendars(config);
        assertThat(calendars.of("X:BTCUSD").name()).isEqualTo("XNYS");
        assertThat(calendars.of("SPY").name()).isEqualTo("24x7");
        assertThat(calendars.of("AAPL").name()).isEqualTo("XNYS");
        var xnys = calendars.of("AAPL");
        Duration bar = Duration.ofMinutes(15);
        long monday = java.time.Instant.parse("2027-01-04T15:00:00Z").toEpochMilli();
        assertThat(xnys.isBarStart(monday, bar)).isFalse();
        long tuesdayNoon = java.time.Instant.parse("2027-01-05T16:45:00Z").toEpochMilli();
        assertThat(xnys.isBarStart(tuesdayNoon, bar)).isTrue(); // 11:45 New York
        assertThat(xnys.isBarStart(tuesdayNoon + bar.toMillis(), bar)).isFalse();
    }

    @Test
    void neverShowsThePassword() {
        BarcastConfig config =
                BarcastConfig.of(
                        Map.of("jdbc.password", "hunter2", "jdbc.url", "jdbc:postgresql://db/x"));
        assertThat(config.describe().toString()).doesNotContain("hunter2").contains("***");
        assertThat(config.get(JdbcOptions.PASSWORD)).isEqualTo("hunter2");
        BarcastConfig inUrl =
                BarcastConfig.of(
                        Map.of("jdbc.url", "jdbc:postgresql://db/x?user=a&password=hunter3"));
        assertThat(inUrl.describe().toString()).doesNotContain("hunter3").contains("password=***");
    }

    @Test
    void takesTheDatabasePasswordFromTheEnvironmentUnlessTheSettingsGiveOne() {
        Map<String, String> env = Map.of(JdbcOptions.PASSWORD_ENV, "from-env");
        Map<String, String> settings = Map.of("jdbc.url", "jdbc:postgresql://db/x");
        BarcastConfig fromEnv = BarcastConfig.of(BarcastConfig.withSecretsFrom(env, settings));
        assertThat(fromEnv.get(JdbcOptions.PASSWORD)).isEqualTo("from-env");
        assertThat(fromEnv.describe().toString()).doesNotContain("from-env");
        Map<String, String> given =
                Map.of("jdbc.url", "jdbc:postgresql://db/x", "jdbc.password", "p");
        assertThat(
                        BarcastConfig.of(BarcastConfig.withSecretsFrom(env, given))
                                .get(JdbcOptions.PASSWORD))
                .isEqualTo("p");
        assertThat(
                        BarcastConfig.of(BarcastConfig.withSecretsFrom(Map.of(), settings))
                                .get(JdbcOptions.PASSWORD))
                .isEmpty();
    }

    @Test
    void readsNestedYamlAndPassesFlinkOptionsThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("barcast.yaml");
        Files.writeString(
                file,
                """
                source: replay
                replay:
                  path: /data/bars
                  speed: 60
                kafka.bootstrap-servers: broker:9092
                flink:
                  taskmanager.memory.process.size: 2g
                """);
        BarcastConfig config = BarcastConfig.of(BarcastConfig.readYaml(file));
        assertThat(config.get(SourceOptions.REPLAY_PATH)).isEqualTo("/data/bars");
        assertThat(config.get(SourceOptions.REPLAY_SPEED)).isEqualTo(60.0);
        assertThat(config.get(KafkaOptions.BOOTSTRAP_SERVERS)).isEqualTo("broker:9092");
        assertThat(config.flinkSettings()).containsEntry("taskmanager.memory.process.size", "2g");
    }

    @Test
    void laterSettingsWin() {
        BarcastConfig config =
                BarcastConfig.of(Map.of("simulator.symbols", "3"))
                        .with(Map.of("simulator.symbols", "7"));
        assertThat(config.get(SourceOptions.SIMULATOR_SYMBOLS)).isEqualTo(7);
    }
}
