package io.barcast.connectors.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonSourceBuilderTest {

    private static PolygonSource.Builder valid() {
        return PolygonSource.builder()
                .symbols(List.of("AAPL", " MSFT", "AAPL"))
                .apiKey("secret-key-123")
                .backfillFrom(Instant.parse("2026-10-01T00:07:00Z"));
    }

    @Test
    void cleansSymbolsAndAlignsTheBackfillToTheBarGrid() {
        PolygonSettings settings = valid().build().settings();
        assertThat(settings.symbols()).containsExactly("AAPL", "MSFT");
        assertThat(Instant.ofEpochMilli(settings.backfillFrom()))
                .isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat(settings.toString()).doesNotContain("secret-key-123");
    }

    @Test
    void namesTheOptionOfEveryProblem() {
        assertThatThrownBy(() -> valid().apiKey(null).build())
                .hasMessageStartingWith("polygon.api-key:")
                .hasMessageContaining("POLYGON_API_KEY");
        assertThatThrownBy(() -> valid().symbols(List.of("aapl")).build())
                .hasMessageStartingWith("polygon.symbols:");
        assertThatThrownBy(() -> valid().restUrl("ftp://x").build())
                .hasMessageStartingWith("polygon.rest-url:");
        assertThatThrownBy(() -> valid().requestsPerMinute(0).build())
                .hasMessageStartingWith("polygon.requests-per-minute:");
        assertThatThrownBy(() -> valid().pollInterval(Duration.ZERO).build())
                .hasMessageStartingWith("polygon.poll-interval:");
        assertThatThrownBy(
                        () ->
                                valid().mode(PolygonMode.WEBSOCKET)
                                        .symbols(List.of("AAPL", "X:BTCUSD"))
                                        .build())
                .hasMessageStartingWith("polygon.symbols:");
        assertThatThrownBy(
                        () ->
                                valid().mode(PolygonMode.WEBSOCKET)
                                        .symbols(List.of("X:BTCUSD"))
                                        .build())
                .hasMessageStartingWith("polygon.ws-url:");
        assertThatThrownBy(() -> valid().backfillTo(Instant.parse("2026-09-01T00:00:00Z")).build())
                .hasMessageStartingWith("polygon.backfill-to:");
    }

    @Test
    void aKeyWithInvisibleCharactersIsRefusedWithoutQuotingIt() {
        String pasted = "abc\u200Bdef-123";
        assertThatThrownBy(() -> valid().apiKey(pasted).build())
                .hasMessageStartingWith("polygon.api-key:")
                .hasMessageNotContaining("abc")
                .hasMessageNotContaining("def-123");
    }

    @Test
    void aBarIsFinalOnlyAfterItsWindowTheDelayAndTheGrace() {
        PolygonSettings settings =
                valid().delay(Duration.ofMinutes(15))
                        .revisionGrace(Duration.ofMinutes(2))
                        .build()
                        .settings();
        long bar = Instant.parse("2026-11-20T15:00:00Z").toEpochMilli();
        long finalAt = bar + Duration.ofMinutes(15 + 15 + 2).toMillis();
        assertThat(settings.newestFinalBar(finalAt)).isEqualTo(bar);
        assertThat(settings.newestFinalBar(finalAt - 1)).isEqualTo(bar - 900_000);
    }
}
