package io.barcast.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealBarsTest {

    @Test
    void eth5mStartsOnTheFiveMinuteGridWithoutGaps() {
        List<Bar> bars = RealBars.eth5m();

        assertThat(bars).hasSize(580);
        assertThat(bars.get(0).time())
                .isEqualTo(Instant.parse("2023-03-13T18:00:00Z").toEpochMilli());
        assertThat(bars.get(0).open()).isEqualTo(1673.58);
        for (int i = 1; i < bars.size(); i++) {
            assertThat(bars.get(i).time() - bars.get(i - 1).time()).isEqualTo(300_000);
        }
        assertThat(bars).allSatisfy(RealBarsTest::assertValidOhlc);
        assertThat(bars).extracting(Bar::symbol).containsOnly("X:ETHUSD");
    }

    @Test
    void eth15mAggregatesCompleteGroupsOfThree() {
        List<Bar> fine = RealBars.eth5m();
        List<Bar> bars = RealBars.eth15m();

        assertThat(bars).hasSize(fine.size() / 3);
        assertThat(bars).allSatisfy(bar -> assertThat(bar.time() % 900_000).isZero());
        assertThat(bars).allSatisfy(RealBarsTest::assertValidOhlc);
        Bar first = bars.get(0);
        assertThat(first.time()).isEqualTo(fine.get(0).time());
        assertThat(first.open()).isEqualTo(fine.get(0).open());
        assertThat(first.close()).isEqualTo(fine.get(2).close());
        assertThat(first.high())
                .isEqualTo(
                        Math.max(
                                fine.get(0).high(),
                                Math.max(fine.get(1).high(), fine.get(2).high())));
        assertThat(first.low())
                .isEqualTo(
                        Math.min(
                                fine.get(0).low(), Math.min(fine.get(1).low(), fine.get(2).low())));
        assertThat(first.volume())
                .isEqualTo(fine.get(0).volume() + fine.get(1).volume() + fine.get(2).volume());
    }

    @Test
    void appleDailyIsOneBarPerTradingDayOf2013AtMidnightUtc() {
        List<Bar> bars = RealBars.appleDaily();

        assertThat(bars).hasSize(252);
        assertThat(bars.get(0).time())
                .isEqualTo(Instant.parse("2013-01-02T00:00:00Z").toEpochMilli());
        assertThat(bars.get(0).close()).isEqualTo(549.03);
        assertThat(bars.get(bars.size() - 1).time())
                .isEqualTo(Instant.parse("2013-12-31T00:00:00Z").toEpochMilli());
        assertThat(bars).allSatisfy(bar -> assertThat(bar.time() % 86_400_000).isZero());
        assertThat(bars).allSatisfy(RealBarsTest::assertValidOhlc);
        assertThat(bars).extracting(Bar::symbol).containsOnly("AAPL");
    }

    private static void assertValidOhlc(Bar bar) {
        assertThat(bar.high()).isGreaterThanOrEqualTo(Math.max(bar.open(), bar.close()));
        assertThat(bar.low()).isLessThanOrEqualTo(Math.min(bar.open(), bar.close()));
        assertThat(bar.low()).isPositive();
        assertThat(bar.volume()).isNotNegative();
    }
}
