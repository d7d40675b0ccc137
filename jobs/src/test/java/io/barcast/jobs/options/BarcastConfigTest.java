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
