package io.barcast.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MarketCalendarTest {

    private static final Duration BAR = Duration.ofMinutes(15);

    @Test
    void findsEachKnownCalendarByItsName() {
        assertThat(MarketCalendar.byName("XNYS")).isSameAs(RegularSession.XNYS);
        assertThat(MarketCalendar.byName("24x7")).isSameAs(AroundTheClock.INSTANCE);
        assertThat(MarketCalendar.NAMES)
                .allSatisfy(name -> assertThat(MarketCalendar.byName(name).name()).isEqualTo(name));
    }

    @Test
    void rejectsAnUnknownNameListingTheKnownOnes() {
        assertThatThrownBy(() -> MarketCalendar.byName("XLON"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'XLON'")
                .hasMessageContaining("XNYS, 24x7");
    }

    @Test
    void cryptoPairsTradeAroundTheClockAndStocksOnTheNyse() {
        assertThat(MarketCalendar.forSymbol("X:BTCUSD")).isSameAs(AroundTheClock.INSTANCE);
        assertThat(MarketCalendar.forSymbol("AAPL")).isSameAs(RegularSession.XNYS);
    }

    @Test
    void aroundTheClockWeekHas672Bars() {
        long asOf = utc("2026-11-20T20:45:00Z");

        long[] bars = AroundTheClock.INSTANCE.barStartsWithin(asOf, Duration.ofDays(7), BAR);

        assertThat(bars).hasSize(672);
        assertThat(bars[0]).isEqualTo(utc("2026-11-20T21:00:00Z"));
        assertThat(bars[671]).isEqualTo(utc("2026-11-27T20:45:00Z"));
    }

    @Test
    void aroundTheClockSessionIsTheUtcDay() {
        long bar = utc("2026-11-26T17:45:00Z");

        assertThat(AroundTheClock.INSTANCE.sessionOpen(bar)).isEqualTo(utc("2026-11-26T00:00:00Z"));
        assertThat(AroundTheClock.INSTANCE.sessionClose(bar))
                .isEqualTo(utc("2026-11-27T00:00:00Z"));
        assertThat(AroundTheClock.INSTANCE.sessionOpen(utc("2026-11-26T00:00:00Z")))
                .isEqualTo(utc("2026-11-26T00:00:00Z"));
    }

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
