package io.barcast.core.backtest;

import static io.barcast.core.backtest.BacktestFixtures.MARCH_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceChartTest {

    private static final long DAY = 86_400_000L;

    @Test
    void priceTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(PriceChart.niceStep(0.0018)).isCloseTo(0.002, offset(1e-15));
        assertThat(PriceChart.niceStep(1.0)).isEqualTo(1.0);
        assertThat(PriceChart.niceStep(1.8)).isEqualTo(2.0);
        assertThat(PriceChart.niceStep(3)).isEqualTo(5.0);
        assertThat(PriceChart.niceStep(7)).isEqualTo(10.0);
        assertThat(PriceChart.niceStep(420)).isEqualTo(500.0);
    }

    @Test
    void labelsHoursWithinAFewDays() {
        String svg = PriceChart.svg(line(MARCH_1, MARCH_1 + DAY));

        assertThat(svg)
                .contains(">03-01 03:00<")
                .contains(">03-01 21:00<")
                .contains(">03-02 00:00<");
    }

    @Test
    void labelsMonthsOverAYear() {
        long start = Instant.parse("2024-01-15T00:00:00Z").toEpochMilli();

        String svg = PriceChart.svg(line(start, start + 366 * DAY));

        // every other month, counted from January
        assertThat(svg).contains(">2024-03<").contains(">2025-01<").doesNotContain(">2024-02<");
    }

    @Test
    void drawsNothingWithoutAPrice() {
        ChartData empty =
                new ChartData("AAPL", new long[] {MARCH_1}, new double[] {Double.NaN}, List.of());

        assertThat(PriceChart.svg(empty)).isEmpty();
    }

    @Test
    void refusesSeriesOfDifferentLengths() {
        assertThatThrownBy(() -> new ChartData("AAPL", new long[2], new double[1], List.of()))
                .hasMessageContaining("closes has 1 values for 2 times");
        assertThatThrownBy(
                        () ->
                                new ChartData.Forecast(
                                        0,
                                        new long[1],
                                        new double[1],
                                        new double[1],
                                        new double[0]))
                .hasMessageContaining("upper");
    }

    private static ChartData line(long from, long to) {
        return new ChartData("AAPL", new long[] {from, to}, new double[] {100, 101}, List.of());
    }
}
