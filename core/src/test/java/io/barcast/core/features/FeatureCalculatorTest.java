package io.barcast.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.barcast.core.Bar;
import io.barcast.core.testing.JavaSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class FeatureCalculatorTest {

    private static final FeatureCalculator ALL =
            FeatureCalculator.forNames(FeatureCalculator.KNOWN_NAMES);

    @Test
    void knowsTheTenDefaultFeaturesInOrder() {
        assertThat(ALL.names())
                .containsExactly(
                        "log_return",
                        "range",
                        "body",
                        "close_sma10",
                        "close_sma20",
                        "rsi14",
                        "volume_z20",
                        "realized_vol20",
                        "upper_wick",
                        "lower_wick");
        assertThat(ALL.featureCount()).isEqualTo(10);
        assertThat(ALL.lookback()).isEqualTo(21);
    }

    @Test
    void lookbackIsTheLongestOfTheChosenFeatures() {
        assertThat(FeatureCalculator.forNames(List.of("range", "body")).lookback()).isEqualTo(1);
        assertThat(FeatureCalculator.forNames(List.of("body", "log_return")).lookback())
                .isEqualTo(2);
        assertThat(FeatureCalculator.forNames(List.of("rsi14")).lookback()).isEqualTo(15);
        assertThat(FeatureCalculator.forNames(List.of("volume_z20", "close_sma10")).lookback())
                .isEqualTo(20);
    }

    @Test
    void rejectsUnknownFeaturesNamingThemAndTheKnownOnes() {
        assertThatThrownBy(() -> FeatureCalculator.forNames(List.of("range", "macd", "rsi7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("macd, rsi7")
                .hasMessageContaining("log_return")
                .hasMessageContaining("lower_wick");
        assertThatThrownBy(() -> FeatureCalculator.forNames(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeatureCalculator.forNames(List.of("range", "range")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("range");
    }

    @Test
    void rejectsTooFewBars() {
        List<Bar> bars = bars(20, k -> 100, k -> 1000);

        assertThatThrownBy(() -> ALL.compute(RecentBars.endingAt(bars, 19), new double[10], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("21 bars");
    }

    @Test
    void flatPricesAndVolumeGiveZeroFeatures() {
        List<Bar> bars = bars(30, k -> 100, k -> 5000);

        double[] out = compute(ALL, bars);

        assertThat(out).containsOnly(0.0);
    }

    @Test
    void writesAtTheOffset() {
        List<Bar> bars = bars(2, k -> 100 + k, k -> 10);
        FeatureCalculator calculator = FeatureCalculator.forNames(List.of("log_return", "body"));
        double[] out = {7, 7, 7, 7};

        calculator.compute(RecentBars.endingAt(bars, 1), out, 1);

        assertThat(out[0]).isEqualTo(7);
        assertThat(out[1]).isCloseTo(Math.log(101.0 / 100), within(1e-15));
        assertThat(out[2]).isZero();
        assertThat(out[3]).isEqualTo(7);
    }

    @Test
    void computesEachDefinitionOnARisingSeries() {
        // closes 101, 102, ... 125 (oldest first); volumes 1000, 1100, ...
        List<Bar> bars = bars(25, k -> 101 + k, k -> 1000 + 100 * k);
        double[] out = compute(ALL, bars);
        double c0 = 125;

        assertThat(out[0]).isCloseTo(Math.log(125.0 / 124), within(1e-15));
        assertThat(out[3]).isCloseTo(c0 / 120.5 - 1, within(1e-15));
        assertThat(out[4]).isCloseTo(c0 / 115.5 - 1, within(1e-15));
        assertThat(out[5]).as("rsi of only gains").isEqualTo(0.5);
        double sumSquares = 0;
        for (int k = 0; k < 20; k++) {
            double r = Math.log((c0 - k) / (c0 - k - 1));
            sumSquares += r * r;
        }
        assertThat(out[7]).isCloseTo(Math.sqrt(sumSquares / 20), within(1e-15));
        double[] x = new double[20];
        double mean = 0;
        for (int k = 0; k < 20; k++) {
            x[k] = Math.log1p(1000 + 100 * (24 - k));
            mean += x[k] / 20;
        }
        double variance = 0;
        for (double value : x) {
            variance += (value - mean) * (value - mean) / 20;
        }
        assertThat(out[6]).isCloseTo((x[0] - mean) / Math.sqrt(variance), within(1e-12));
    }

    @Test
    void rsiIsMinusHalfWhenOnlyFallingAndZeroWhenBalanced() {
        FeatureCalculator rsi = FeatureCalculator.forNames(List.of("rsi14"));

        assertThat(compute(rsi, bars(15, k -> 200 - k, k -> 1))[0]).isEqualTo(-0.5);
        assertThat(compute(rsi, bars(15, k -> k % 2 == 0 ? 100 : 101, k -> 1))[0])
                .isCloseTo(0.0, within(1e-15));
        // 10 gains of 1 and 4 losses of 1: G = 10/14, L = 4/14, rsi = 100 - 100 / (1 + 2.5)
        List<Double> closes = new ArrayList<>(List.of(100.0));
        for (int k = 0; k < 14; k++) {
            closes.add(closes.get(k) + (k < 4 ? -1 : 1));
        }
        assertThat(compute(rsi, bars(15, closes::get, k -> 1))[0])
                .isCloseTo((100 - 100 / 3.5) / 100 - 0.5, within(1e-15));
    }

    @Test
    void rangeBodyAndWicksOfOneBar() {
        FeatureCalculator calculator =
                FeatureCalculator.forNames(List.of("range", "body", "upper_wick", "lower_wick"));
        List<Bar> bars = List.of(Bar.of("X", 0, 10, 12, 9, 11, 1));

        double[] out = compute(calculator, bars);

        assertThat(out[0]).isCloseTo(Math.log(12.0 / 9), within(1e-15));
        assertThat(out[1]).isCloseTo(Math.log(11.0 / 10), within(1e-15));
        assertThat(out[2]).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(out[3]).isCloseTo(1.0 / 3, within(1e-15));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        FeatureCalculator copy = JavaSerialization.roundTrip(ALL);
        List<Bar> bars = bars(25, k -> 101 + Math.sin(k), k -> 1000 + k);

        assertThat(copy.names()).isEqualTo(ALL.names());
        assertThat(copy.lookback()).isEqualTo(21);
        assertThat(compute(copy, bars)).containsExactly(compute(ALL, bars));
    }

    private static double[] compute(FeatureCalculator calculator, List<Bar> bars) {
        double[] out = new double[calculator.featureCount()];
        calculator.compute(RecentBars.endingAt(bars, bars.size() - 1), out, 0);
        return out;
    }

    /** Bars whose open, high, low and close all equal the close (oldest first). */
    private static List<Bar> bars(
            int count, IntToDoubleFunction close, IntToDoubleFunction volume) {
        List<Bar> bars = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double c = close.applyAsDouble(k);
            bars.add(Bar.of("X", k * 900_000L, c, c, c, c, volume.applyAsDouble(k)));
        }
        return bars;
    }
}
