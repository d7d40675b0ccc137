package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.connectors.polygon.PolygonMode;
import io.barcast.connectors.polygon.PolygonSettings;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InvalidOptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarSourcesTest {

    private static final Clock NOW =
            Clock.fixed(Instant.parse("2026-11-22T10:05:00Z"), ZoneOffset.UTC);

    private static PolygonSettings polygon(Map<String, String> options, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("source", "polygon"));
        all.putAll(options);
        return BarSources.polygon(BarcastConfig.of(all), env, NOW).settings();
    }

    @Test
    void readsThePolygonOptionsAndTheKeyFromTheEnvironment() {
        PolygonSettings settings =
                polygon(
                        Map.of(
                                "polygon.symbols", "AAPL, MSFT",
                                "polygon.mode", "websocket",
                                "polygon.backfill-from", "30d",
                                "polygon.poll-interval", "30 s",
                                "polygon.delay", "0 s",
                                "polygon.requests-per-minute", "100"),
                        Map.of("POLYGON_API_KEY", "env-key-1"));

        assertThat(settings.symbols()).containsExactly("AAPL", "MSFT");
        assertThat(settings.mode()).isEqualTo(PolygonMode.WEBSOCKET);
        assertThat(Instant.ofEpochMilli(settings.backfillFrom()))
                .isEqualTo(Instant.parse("2026-10-23T10:00:00Z"));
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.delay()).isZero();
        assertThat(settings.requestsPerMinute()).isEqualTo(100);
        assertThat(settings.apiKey().reveal()).isEqualTo("env-key-1");
        assertThat(settings.restUrl()).isEqualTo("https://api.polygon.io");
        assertThat(settings.wsUrl()).isEqualTo("wss://delayed.polygon.io/stocks");
    }

    @Test
    void theOptionWinsOverTheEnvironmentAndIsNeverShown() {
        Map<String, String> options =
                Map.of(
                        "polygon.symbols", "X:BTCUSD",
                        "polygon.api-key", "option-key-2",
                        "polygon.backfill-from", "2026-10-01",
                        "polygon.backfill-to", "2026-10-02T12:00:00Z");
        PolygonSettings settings = polygon(options, Map.of("POLYGON_API_KEY", "env-key-1"));

        assertThat(settings.apiKey().reveal()).isEqualTo("option-key-2");
        assertThat(settings.backfillTo())
                .isEqualTo(Instant.parse("2026-10-02T12:00:00Z").toEpochMilli());
        Map<String, String> all = new HashMap<>(options);
        all.put("source", "polygon");
        assertThat(BarcastConfig.of(all).describe().toString())
                .doesNotContain("option-key-2")
                .contains("polygon.api-key=***");
    }

    @Test
    void aBadPolygonSettingStopsStartUpNamingTheOption() {
        Map<String, String> key = Map.of("POLYGON_API_KEY", "k");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("source", "polygon")))
                .hasMessageStartingWith("option 'polygon.symbols': is required");
        assertThatThrownBy(() -> polygon(Map.of("polygon.symbols", "AAPL"), Map.of()))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("option 'polygon.api-key'")
                .hasMessageContaining("POLYGON_API_KEY");
        assertThatThrownBy(
                        () ->
                                polygon(
                                        Map.of(
                                                "polygon.symbols", "AAPL",
                                                "polygon.mode", "fax"),
                                        key))
                .hasMessageStartingWith("option 'polygon.mode'");
        assertThatThrownBy(
                        () ->
                                polygon(
                                        Map.of(
                                                "polygon.symbols", "AAPL",
                                                "polygon.backfill-from", "last spring"),
                                        key))
                .hasMessageStartingWith("option 'polygon.backfill-from'");
        assertThatThrownBy(
                        () ->
                                polygon(
                                        Map.of(
                                                "polygon.symbols", "AAPL",
                                                "polygon.requests-per-minute", "0"),
                                        key))
                .hasMessageStartingWith("option 'polygon.requests-per-minute'");
        assertThatThrownBy(
                        () ->
                                polygon(
                                        Map.of(
                                                "polygon.symbols", "AAPL,X:BTCUSD",
                                                "polygon.mode", "websocket"),
                                        key))
                .hasMessageStartingWith("option 'polygon.symbols'");
    }

    @Test
    void aBadReplaySettingStopsStartUpNamingTheOption(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bars.csv"), "symbol,t,o,h,l,c,v\n");
        Map<String, String> replay = Map.of("source", "replay", "replay.path", dir.toString());

        Map<String, String> tiny = new HashMap<>(replay);
        tiny.put("replay.max-line-bytes", "100");
        assertThatThrownBy(() -> BarSources.create(BarcastConfig.of(tiny)))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("option 'replay.max-line-bytes': must be between 256");

        Map<String, String> badTime = new HashMap<>(replay);
        badTime.put("replay.from", "yesterday");
        assertThatThrownBy(() -> BarSources.create(BarcastConfig.of(badTime)))
                .hasMessageStartingWith("option 'replay.from': 'yesterday' is neither");

        Map<String, String> window = new HashMap<>(replay);
        window.put("replay.from", "2023-03-14");
        window.put("replay.to", "2023-03-14");
        assertThatThrownBy(() -> BarSources.create(BarcastConfig.of(window)))
                .hasMessageStartingWith("option 'replay.to': must be after replay.from");
    }
}
