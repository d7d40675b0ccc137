package io.barcast.connectors.polygon.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayMillis(1)).isBetween(500L, 1_000L);
            assertThat(backoff.delayMillis(3)).isBetween(2_000L, 4_000L);
            assertThat(backoff.delayMillis(40)).isBetween(4_000L, 8_000L);
        }
    }

    @Test
    void readsRetryAfterAsSecondsOrDate() {
        long now = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
        assertThat(Backoff.retryAfterMillis("7", now)).isEqualTo(7_000);
        assertThat(Backoff.retryAfterMillis("Sun, 22 Nov 2026 10:00:30 GMT", now))
                .isEqualTo(30_000);
        assertThat(Backoff.retryAfterMillis(null, now)).isEqualTo(-1);
        assertThat(Backoff.retryAfterMillis("soon", now)).isEqualTo(-1);
    }
}
