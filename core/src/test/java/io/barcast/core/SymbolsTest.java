package io.barcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SymbolsTest {

    @Test
    void normalizesToUpperCaseAndTrims() {
        assertThat(Symbols.normalize(" x:btcusd ")).isEqualTo("X:BTCUSD");
        assertThat(Symbols.normalize("BRK.B")).isEqualTo("BRK.B");
        assertThat(Symbols.normalize("I:SPX")).isEqualTo("I:SPX");
        assertThat(Symbols.normalize("A_B-C")).isEqualTo("A_B-C");
        assertThat(Symbols.normalize("A".repeat(32))).hasSize(32);
    }

    @Test
    void refusesWhatBreaksTheRuleNamingIt() {
        assertThat(Symbols.normalize("AB\u0000C")).isNull();
        assertThat(Symbols.normalize("A".repeat(33))).isNull();
        assertThat(Symbols.normalize("ÄPPL")).isNull();
        // upper-casing must not turn a refused character into allowed ones
        assertThat(Symbols.normalize("stra\u00dfe")).isNull();
        assertThat(Symbols.normalize("AA PL")).isNull();
        assertThat(Symbols.normalize("")).isNull();
        assertThat(Symbols.normalize(null)).isNull();

        assertThat(Symbols.problemOf("AB\u0000C"))
                .isEqualTo("symbol 'AB\uFFFDC' is not " + Symbols.RULE);
        assertThat(Symbols.problemOf("  ")).isEqualTo("no symbol");
        assertThat(Symbols.problemOf("aapl")).isNull();
    }

    @Test
    void quotesAHugeSymbolShortly() {
        String quoted = Symbols.quote("Z".repeat(40_000));

        assertThat(quoted).hasSize(40).startsWith("ZZZZZZZZZZ").endsWith("\u2026");
        assertThat(Symbols.problemOf("Z".repeat(40_000)).length()).isLessThan(200);
    }
}
