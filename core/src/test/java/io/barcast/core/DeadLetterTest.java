package io.barcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void everyFieldIsSafeAndCapped() {
        String payload = "{\"symbol\":\"AB\u0000C\"}" + "p".repeat(5_000_000);
        DeadLetter letter =
                DeadLetter.of(
                        "AB\u0000C" + "D".repeat(40_000),
                        "parse",
                        "bad \u0000 reason " + "r".repeat(10_000),
                        0,
                        payload);

        assertThat(letter.symbol()).doesNotContain("\u0000").hasSizeLessThanOrEqualTo(40);
        assertThat(letter.reason())
                .doesNotContain("\u0000")
                .hasSize(DeadLetter.MAX_REASON_CHARS)
                .endsWith("characters in all]");
        assertThat(letter.payload())
                .doesNotContain("\u0000")
                .hasSize(DeadLetter.MAX_PAYLOAD_CHARS)
                .startsWith("{\"symbol\":\"AB\uFFFDC\"}")
                .endsWith("[truncated: " + payload.length() + " characters in all]");
    }

    @Test
    void theSameInputGivesTheSameId() {
        DeadLetter a = DeadLetter.of("AAPL", "sanitize", "high below open", 5, "{}");
        DeadLetter b = DeadLetter.of("AAPL", "sanitize", "high below open", 5, "{}");
        DeadLetter c = DeadLetter.of("AAPL", "sanitize", "high below open", 6, "{}");

        assertThat(a).isEqualTo(b);
        assertThat(a.id()).isNotEqualTo(c.id());
    }
}
