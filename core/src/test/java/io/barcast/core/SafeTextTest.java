package io.barcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void replacesNulAndUnpairedSurrogatesButKeepsPairs() {
        String emoji = "\uD83D\uDE00";
        String dirty = "A\u0000B\uD800C" + emoji + "\uDC00";

        String clean = SafeText.clean(dirty);

        assertThat(clean).isEqualTo("A\uFFFDB\uFFFDC" + emoji + "\uFFFD");
        assertThat(SafeText.isClean(clean)).isTrue();
        assertThat(SafeText.isClean(dirty)).isFalse();
        // clean text survives a UTF-8 round trip unchanged
        assertThat(new String(clean.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(clean);
    }

    @Test
    void capsLongTextWithinTheLimitAndSaysHowLongItWas() {
        String capped = SafeText.cap("x".repeat(10_000), 100);

        assertThat(capped)
                .hasSize(100)
                .startsWith("xxx")
                .endsWith("[truncated: 10000 characters in all]");
        assertThat(SafeText.cap("short", 100)).isEqualTo("short");
        assertThat(SafeText.cap(null, 100)).isNull();
    }

    @Test
    void neverCutsASurrogatePairInTwo() {
        String pairs = "\uD83D\uDE00".repeat(100);
        for (int limit = 40; limit < 60; limit++) {
            assertThat(SafeText.isClean(SafeText.cap(pairs, limit))).isTrue();
            assertThat(SafeText.cap(pairs, limit).length()).isLessThanOrEqualTo(limit);
        }
    }

    @Test
    void marksAPrefixOfSomethingLongerWithItsWholeSize() {
        String marked = SafeText.truncated("abc\u0000def", 50, 5_000_000, "bytes");

        assertThat(marked).startsWith("abc\uFFFDdef").endsWith("[truncated: 5000000 bytes in all]");
        assertThat(SafeText.truncated("y".repeat(500), 60, 5_000_000, "bytes")).hasSize(60);
    }
}
