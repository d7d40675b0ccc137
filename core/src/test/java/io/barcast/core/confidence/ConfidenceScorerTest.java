package io.barcast.core.confidence;

import static io.barcast.core.confidence.Windows.INTERVAL;
import static io.barcast.core.confidence.Windows.MONDAY_OPEN;
import static io.barcast.core.confidence.Windows.XNYS;
import static io.barcast.core.confidence.Windows.alternating;
import static io.barcast.core.confidence.Windows.barStarts;
import static io.barcast.core.confidence.Windows.closes;
import static io.barcast.core.confidence.Windows.repeat;
import static io.barcast.core.confidence.Windows.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.calendar.AroundTheClock;
import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.testing.JavaSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfidenceScorerTest {

    private static final TrackRecord HELD_OUT = new TrackRecord(5000, 0.0098, 0.01, 0.53);

    @Test
    void theScoreIsTheWeightedSumOfItsFactorsTimesTheDecay() {
        ConfidenceWeights weights =
                ConfidenceWeights.of(Map.of("model_performance", 0.15, "time_of_day", 0.15));
        ConfidenceDecay decay = ConfidenceDecay.DEFAULTS;
        ConfidenceScorer scorer = new ConfidenceScorer(weights, decay);
        ConfidenceInputs in = typicalInputs(Duration.ofDays(120), Duration.ofMinutes(50));

        ConfidenceScore score = scorer.score(in);

        double weighted = 0;
        for (ConfidenceFactor factor : ConfidenceFactor.values()) {
            assertThat(score.factor(factor)).isEqualTo(factor.compute(in));
            weighted += weights.weight(factor) * score.factor(factor);
        }
        double expectedDecay = Math.pow(0.5, 90.0 / 180) * Math.pow(0.5, 30.0 / 60);
        assertThat(score.raw()).isCloseTo(weighted, offset(1e-12));
        assertThat(score.decay()).isCloseTo(expectedDecay, offset(1e-12));
        assertThat(score.value()).isCloseTo(weighted * expectedDecay, offset(1e-12));
        assertThat(score.level()).isEqualTo(ConfidenceLevel.of(score.value()));
    }

    @Test
    void listsItsFactorsByKeyInFactorOrder() {
        ConfidenceScore score =
                ConfidenceScorer.withDefaults().score(typicalInputs(Duration.ZERO, Duration.ZERO));

        assertThat(score.factorsByKey().keySet())
                .containsExactly(
                        "model_performance",
                        "data_quality",
                        "market_volatility",
                        "trend_consistency",
                        "volume_analysis",
                        "technical_indicators",
                        "time_of_day",
                        "market_regime",
                        "prediction_stability",
                        "historical_accuracy");
        assertThat(score.factorsByKey().get("time_of_day"))
                .isEqualTo(score.factor(ConfidenceFactor.TIME_OF_DAY));
    }

    @Test
    void flatPricesZeroVolumesAndASingleBarStillGiveFactorsInTheUnitInterval() {
        long asOf = MONDAY_OPEN;
        BarWindow oneBar = window(new long[] {asOf}, new double[] {100}, new double[] {0});
        BarWindow flat = window(repeat(40, 100), repeat(40, 0));
        BarWindow broken =
                window(
                        new double[] {100, 0, Double.NaN, -5, Double.POSITIVE_INFINITY, 100},
                        new double[] {Double.NaN, -1, 0, 5, Double.POSITIVE_INFINITY, 1});
        double[][] paths = {{}, {100}, {100, 100}, {0, Double.NaN, 100}};

        for (BarWindow window : new BarWindow[] {oneBar, flat, broken}) {
            for (double[] path : paths) {
                for (double lastClose : new double[] {100, 0, Double.NaN}) {
                    long[] times = barStarts(XNYS, asOf + 1, path.length);
                    ConfidenceInputs in =
                            new ConfidenceInputs(
                                    window,
                                    XNYS,
                                    INTERVAL,
                                    window.times()[window.size() - 1],
                                    lastClose,
                                    times,
                                    path,
                                    times,
                                    path.clone(),
                                    TrackRecord.NONE,
                                    new TrackRecord(100, 0, 0, 0),
                                    Duration.ofDays(-3),
                                    Duration.ZERO);

                    ConfidenceScore score = ConfidenceScorer.withDefaults().score(in);

                    for (ConfidenceFactor factor : ConfidenceFactor.values()) {
                        assertThat(score.factor(factor))
                                .as(factor.key())
                                .isFinite()
                                .isBetween(0.0, 1.0);
                    }
                    assertThat(score.value()).isFinite().isBetween(0.0, 1.0);
                }
            }
        }
    }

    @Test
    void refusesInputsWithoutAPathOrWithHalfAPreviousForecast() {
        assertThatThrownBy(() -> withPaths(new long[2], new double[1], null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 times and 1 prices");
        assertThatThrownBy(() -> withPaths(new long[1], new double[1], new long[1], null))
                .hasMessageContaining("both times and prices");
        assertThatThrownBy(() -> withPaths(null, null, null, null))
                .hasMessageContaining("forecast path is missing");
    }

    @Test
    void survivesJavaSerialization() {
        ConfidenceScorer scorer =
                new ConfidenceScorer(
                        ConfidenceWeights.parse("model_performance=0.2,data_quality=0.2"),
                        new ConfidenceDecay(
                                Duration.ofDays(1),
                                Duration.ofDays(2),
                                Duration.ofMinutes(3),
                                Duration.ofMinutes(4)));
        ConfidenceScorer copy = JavaSerialization.roundTrip(scorer);

        assertThat(copy.weights()).isEqualTo(scorer.weights());
        assertThat(copy.decay()).isEqualTo(scorer.decay());
        ConfidenceInputs in = typicalInputs(Duration.ofDays(5), Duration.ZERO);
        assertThat(copy.score(in).value()).isEqualTo(scorer.score(in).value());
    }

    private static ConfidenceInputs withPaths(
            long[] times, double[] prices, long[] previousTimes, double[] previousPrices) {
        return new ConfidenceInputs(
                window(repeat(3, 100)),
                XNYS,
                INTERVAL,
                MONDAY_OPEN,
                100,
                times,
                prices,
                previousTimes,
                previousPrices,
                TrackRecord.NONE,
                TrackRecord.NONE,
                Duration.ZERO,
                Duration.ZERO);
    }

    /** A calm crypto window with an up forecast, a previous forecast and a held-out record. */
    private static ConfidenceInputs typicalInputs(Duration modelAge, Duration feedDelay) {
        MarketCalendar calendar = AroundTheClock.INSTANCE;
        long first = Instant.parse("2024-01-10T10:00:00Z").toEpochMilli(); // a Wednesday
        double[] close = closes(alternating(63, 0.001));
        BarWindow window = window(barStarts(calendar, first, 64), close, repeat(64, 1000));
        long asOf = window.times()[63];
        double lastClose = close[63];
        long[] times = barStarts(calendar, asOf + 1, 8);
        double[] path = new double[8];
        for (int i = 0; i < 8; i++) {
            path[i] = lastClose * (1 + 0.001 * (i + 1));
        }
        double[] previous = path.clone();
        previous[2] *= 1.001;
        return new ConfidenceInputs(
                window,
                calendar,
                INTERVAL,
                asOf,
                lastClose,
                times,
                path,
                times,
                previous,
                TrackRecord.NONE,
                HELD_OUT,
                modelAge,
                feedDelay);
    }
}
