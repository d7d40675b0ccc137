package io.barcast.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.calendar.RegularSession;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TradeFinderTest {

    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final long AS_OF = newYork(2024, 1, 10, 12, 0);
    private static final double LAST = 100;
    private static final double VOLATILITY = 0.002;

    @Test
    void aFlatPathHasNoIdeaOnEitherSide() {
        double[] flat = {100, 100, 100, 100};
        assertThat(bestLong(flat)).isEmpty();
        assertThat(bestShort(flat)).isEmpty();
    }

    @Test
    void aRisingPathIsALongFromNowToTheEndAndNoShort() {
        double[] rising = {101, 102, 103, 104};
        long[] times = times(4);

        TradeIdea idea =
                TradeFinder.bestLong(AS_OF, LAST, times, rising, null, null, VOLATILITY)
                        .orElseThrow();

        assertThat(idea.side()).isEqualTo(TradeSide.LONG);
        assertThat(idea.entryTime()).isEqualTo(AS_OF);
        assertThat(idea.entryPrice()).isEqualTo(LAST);
        assertThat(idea.exitTime()).isEqualTo(times[3]);
        assertThat(idea.targetPrice()).isEqualTo(104);
        assertThat(idea.expectedReturnPercent()).isCloseTo(4, offset(1e-9));
        assertThat(bestShort(rising)).isEmpty();
    }

    @Test
    void aFallingPathIsAShortFromNowToTheEndAndNoLong() {
        double[] falling = {99, 98, 97, 96};
        long[] times = times(4);

        TradeIdea idea =
                TradeFinder.bestShort(AS_OF, LAST, times, falling, null, null, VOLATILITY)
                        .orElseThrow();

        assertThat(idea.side()).isEqualTo(TradeSide.SHORT);
        assertThat(idea.entryTime()).isEqualTo(AS_OF);
        assertThat(idea.exitTime()).isEqualTo(times[3]);
        assertThat(idea.targetPrice()).isEqualTo(96);
        assertThat(idea.expectedReturnPercent()).isCloseTo(4, offset(1e-9));
        assertThat(idea.stopLoss()).isGreaterThan(LAST);
        assertThat(bestLong(falling)).isEmpty();
    }

    @Test
    void aOneBarPathTradesFromNowToThatBar() {
        long[] times = times(1);
        TradeIdea idea =
                TradeFinder.bestLong(AS_OF, LAST, times, new double[] {103}, null, null, 0.01)
                        .orElseThrow();

        assertThat(idea.entryTime()).isEqualTo(AS_OF);
        assertThat(idea.exitTime()).isEqualTo(times[0]);
        // One bar held: the stop is two bar volatilities below entry, in log price.
        assertThat(idea.stopLoss()).isCloseTo(100 * Math.exp(-0.02), offset(1e-9));
        assertThat(idea.riskReward()).isCloseTo(3 / (100 - 100 * Math.exp(-0.02)), offset(1e-9));
        assertThat(bestShort(new double[] {103})).isEmpty();
        assertThat(bestLong(new double[0])).isEmpty();
    }

    @Test
    void aLongEntersAtTheDipBeforeTheRise() {
        double[] dipThenRise = {99, 97, 95, 98, 102, 101};
        long[] times = times(6);

        TradeIdea idea =
                TradeFinder.bestLong(AS_OF, LAST, times, dipThenRise, null, null, VOLATILITY)
                        .orElseThrow();

        assertThat(idea.entryTime()).isEqualTo(times[2]);
        assertThat(idea.entryPrice()).isEqualTo(95);
        assertThat(idea.exitTime()).isEqualTo(times[4]);
        assertThat(idea.targetPrice()).isEqualTo(102);
        assertThat(idea.expectedReturnPercent()).isCloseTo(700.0 / 95, offset(1e-9));
        // The best short sells now and buys back at the dip.
        TradeIdea shortIdea =
                TradeFinder.bestShort(AS_OF, LAST, times, dipThenRise, null, null, VOLATILITY)
                        .orElseThrow();
        assertThat(shortIdea.entryTime()).isEqualTo(AS_OF);
        assertThat(shortIdea.exitTime()).isEqualTo(times[2]);
    }

    @Test
    void findsATradeAcrossAWeekendAtThePathsOwnTimes() {
        // Friday afternoon into Monday morning on the NYSE calendar (not the MLK Day weekend).
        long[] times = barStarts(newYork(2024, 1, 19, 15, 0), 6);
        assertThat(times[3]).isEqualTo(newYork(2024, 1, 19, 15, 45));
        assertThat(times[4]).isEqualTo(newYork(2024, 1, 22, 9, 30));
        double[] prices = {100.5, 100.2, 100.1, 99.0, 104.0, 103.0};

        TradeIdea idea =
                TradeFinder.bestLong(
                                newYork(2024, 1, 19, 14, 45),
                                LAST,
                                times,
                                prices,
                                null,
                                null,
                                VOLATILITY)
                        .orElseThrow();

        assertThat(idea.entryTime()).isEqualTo(times[3]);
        assertThat(idea.exitTime()).isEqualTo(times[4]);
        assertThat(idea.expectedReturnPercent()).isCloseTo(500.0 / 99, offset(1e-9));
    }

    @Test
    void theLongStopIsTheLowestLowerBoundWhileHeld() {
        double[] prices = {98, 101, 104, 103};
        double[] lower = {90, 96, 97, 95};
        double[] upper = {105, 106, 110, 112};

        TradeIdea idea =
                TradeFinder.bestLong(AS_OF, LAST, times(4), prices, lower, upper, VOLATILITY)
                        .orElseThrow();

        // Entry at 98 (bar 0), exit at 104 (bar 2): the band while held is bars 1 and 2.
        assertThat(idea.entryPrice()).isEqualTo(98);
        assertThat(idea.stopLoss()).isEqualTo(96);
        assertThat(idea.riskReward()).isCloseTo(6.0 / 2, offset(1e-9));
    }

    @Test
    void theShortStopIsTheHighestUpperBoundWhileHeld() {
        double[] prices = {103, 99, 97, 98};
        double[] lower = {90, 90, 90, 90};
        double[] upper = {110, 105, 104, 120};

        TradeIdea idea =
                TradeFinder.bestShort(AS_OF, LAST, times(4), prices, lower, upper, VOLATILITY)
                        .orElseThrow();

        assertThat(idea.entryPrice()).isEqualTo(103);
        assertThat(idea.targetPrice()).isEqualTo(97);
        assertThat(idea.stopLoss()).isEqualTo(105);
    }

    @Test
    void theStopComesFromVolatilityWhenTheBandIsAbsentOrDoesNotReachBelowEntry() {
        double[] prices = {101, 102, 103, 104};
        double[] highLower = {100.5, 101, 102, 103};
        double fromVolatility = LAST * Math.exp(-2 * VOLATILITY * Math.sqrt(4));

        TradeIdea withoutBand = bestLong(prices).orElseThrow();
        TradeIdea bandAboveEntry =
                TradeFinder.bestLong(AS_OF, LAST, times(4), prices, highLower, null, VOLATILITY)
                        .orElseThrow();

        assertThat(withoutBand.stopLoss()).isCloseTo(fromVolatility, offset(1e-9));
        assertThat(bandAboveEntry.stopLoss()).isCloseTo(fromVolatility, offset(1e-9));
    }

    @Test
    void theStopIsNeverCloserThanATenthOfAPercent() {
        double[] prices = {101, 102};
        double[] lower = {99.99, 99.99};

        TradeIdea fromBand =
                TradeFinder.bestLong(AS_OF, LAST, times(2), prices, lower, null, VOLATILITY)
                        .orElseThrow();
        TradeIdea noVolatility =
                TradeFinder.bestLong(AS_OF, LAST, times(2), prices, null, null, 0).orElseThrow();
        TradeIdea shortNoVolatility =
                TradeFinder.bestShort(AS_OF, LAST, times(1), new double[] {99}, null, null, 0)
                        .orElseThrow();

        assertThat(fromBand.stopLoss()).isCloseTo(99.9, offset(1e-9));
        assertThat(noVolatility.stopLoss()).isCloseTo(99.9, offset(1e-9));
        assertThat(shortNoVolatility.stopLoss()).isCloseTo(100.1, offset(1e-9));
        assertThat(noVolatility.riskReward()).isFinite();
    }

    @Test
    void tiesGoToTheEarliestEntryThenTheEarliestExit() {
        // Now (100) and bar 1 (100) are equal entries; bars 0 and 2 are equal exits.
        double[] prices = {110, 100, 110};
        long[] times = times(3);

        TradeIdea idea =
                TradeFinder.bestLong(AS_OF, LAST, times, prices, null, null, VOLATILITY)
                        .orElseThrow();

        assertThat(idea.entryTime()).isEqualTo(AS_OF);
        assertThat(idea.exitTime()).isEqualTo(times[0]);

        double[] twoEqualDips = {95, 99, 95, 104};
        TradeIdea fromFirstDip =
                TradeFinder.bestLong(AS_OF, LAST, times(4), twoEqualDips, null, null, VOLATILITY)
                        .orElseThrow();
        assertThat(fromFirstDip.entryTime()).isEqualTo(times(4)[0]);
    }

    @Test
    void pricesThatAreNotPositiveNumbersAreNeitherEntriesNorExits() {
        double[] prices = {0, Double.NaN, 102, -3};
        TradeIdea idea = bestLong(prices).orElseThrow();
        assertThat(idea.entryTime()).isEqualTo(AS_OF);
        assertThat(idea.targetPrice()).isEqualTo(102);
        assertThat(bestShort(prices)).isEmpty();
    }

    @Test
    void refusesAPathWhoseArraysDifferInLength() {
        assertThatThrownBy(
                        () ->
                                TradeFinder.bestLong(
                                        AS_OF, LAST, times(2), new double[3], null, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 times and 3 prices");
        assertThatThrownBy(
                        () ->
                                TradeFinder.bestShort(
                                        AS_OF,
                                        LAST,
                                        times(2),
                                        new double[2],
                                        null,
                                        new double[1],
                                        0))
                .hasMessageContaining("upper 1");
    }

    private static Optional<TradeIdea> bestLong(double[] prices) {
        return TradeFinder.bestLong(
                AS_OF, LAST, times(prices.length), prices, null, null, VOLATILITY);
    }

    private static Optional<TradeIdea> bestShort(double[] prices) {
        return TradeFinder.bestShort(
                AS_OF, LAST, times(prices.length), prices, null, null, VOLATILITY);
    }

    /** The next {@code count} NYSE bar starts after {@link #AS_OF}. */
    private static long[] times(int count) {
        return barStarts(RegularSession.XNYS.nextBarStart(AS_OF, INTERVAL), count);
    }

    private static long[] barStarts(long first, int count) {
        long[] times = new long[count];
        long t = first;
        for (int i = 0; i < count; i++) {
            times[i] = t;
            t = RegularSession.XNYS.nextBarStart(t, INTERVAL);
        }
        return times;
    }

    private static long newYork(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute)
                .atZone(ZoneId.of("America/New_York"))
                .toInstant()
                .toEpochMilli();
    }
}
