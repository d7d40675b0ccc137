package io.barcast.core.confidence;

import static io.barcast.core.confidence.Windows.INTERVAL;
import static io.barcast.core.confidence.Windows.MONDAY_OPEN;
import static io.barcast.core.confidence.Windows.XNYS;
import static io.barcast.core.confidence.Windows.alternating;
import static io.barcast.core.confidence.Windows.barStarts;
import static io.barcast.core.confidence.Windows.closes;
import static io.barcast.core.confidence.Windows.concat;
import static io.barcast.core.confidence.Windows.newYork;
import static io.barcast.core.confidence.Windows.repeat;
import static io.barcast.core.confidence.Windows.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.calendar.AroundTheClock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConfidenceFactorsTest {

    private static final double[] UP = {101, 102, 103};
    private static final double[] DOWN = {99, 98, 97};

    @Nested
    class ModelPerformance {

        @Test
        void aModelTenPercentBetterThanNoChangeScoresOne() {
            TrackRecord better = new TrackRecord(100, 0.009, 0.010, 0.5);
            assertThat(ConfidenceFactors.modelPerformance(better, TrackRecord.NONE))
                    .isCloseTo(1, offset(1e-9));
        }

        @Test
        void aModelAsGoodAsNoChangeScoresHalfAndTenPercentWorseScoresZero() {
            TrackRecord equal = new TrackRecord(100, 0.01, 0.01, 0.5);
            TrackRecord worse = new TrackRecord(100, 0.011, 0.01, 0.5);
            assertThat(ConfidenceFactors.modelPerformance(equal, TrackRecord.NONE)).isEqualTo(0.5);
            assertThat(ConfidenceFactors.modelPerformance(worse, TrackRecord.NONE))
                    .isCloseTo(0, offset(1e-9));
        }

        @Test
        void usesTheHeldOutRecordUntilTheSymbolHasThirtyPoints() {
            TrackRecord young = new TrackRecord(29, 0.02, 0.01, 0.5);
            TrackRecord heldOut = new TrackRecord(5000, 0.0095, 0.01, 0.5);
            assertThat(ConfidenceFactors.modelPerformance(young, heldOut))
                    .isCloseTo(0.75, offset(1e-9));
            TrackRecord grown = new TrackRecord(30, 0.02, 0.01, 0.5);
            assertThat(ConfidenceFactors.modelPerformance(grown, heldOut)).isEqualTo(0);
        }

        @Test
        void hasNoOpinionWithoutARecord() {
            assertThat(ConfidenceFactors.modelPerformance(TrackRecord.NONE, TrackRecord.NONE))
                    .isEqualTo(0.5);
            TrackRecord noNaiveError = new TrackRecord(100, 0.01, 0, 0.5);
            assertThat(ConfidenceFactors.modelPerformance(noNaiveError, TrackRecord.NONE))
                    .isEqualTo(0.5);
        }
    }

    @Nested
    class DataQuality {

        @Test
        void aFullWindowAcrossNightsAndAWeekendScoresOne() {
            // 64 bars from Thursday's open run through Friday, the weekend and into Monday.
            long thursday = newYork(2024, 1, 4, 9, 30);
            double[] close = repeat(64, 100);
            BarWindow full = window(barStarts(XNYS, thursday, 64), close, repeat(64, 1000));

            assertThat(ConfidenceFactors.dataQuality(full, XNYS, INTERVAL)).isEqualTo(1);
        }

        @Test
        void missingBarsLowerItByTheShareMissing() {
            long[] all = barStarts(XNYS, MONDAY_OPEN, 64);
            long[] gappy = new long[56];
            System.arraycopy(all, 0, gappy, 0, 20);
            System.arraycopy(all, 28, gappy, 20, 36);
            BarWindow window = window(gappy, repeat(56, 100), repeat(56, 1000));

            assertThat(ConfidenceFactors.dataQuality(window, XNYS, INTERVAL))
                    .isCloseTo(56.0 / 64, offset(1e-12));
        }

        @Test
        void zeroVolumeAndNonPositiveClosesLowerIt() {
            double[] volume = repeat(64, 1000);
            Arrays.fill(volume, 10, 26, 0);
            double[] close = repeat(64, 100);
            close[40] = 0;

            assertThat(ConfidenceFactors.dataQuality(window(close, volume), XNYS, INTERVAL))
                    .isCloseTo(47.0 / 64, offset(1e-12));
        }

        @Test
        void aWindowShorterThanWantedIsPenalised() {
            BarWindow sixteen = window(repeat(16, 100));
            assertThat(ConfidenceFactors.dataQuality(sixteen, XNYS, INTERVAL)).isEqualTo(0.5);
        }

        @Test
        void barsOffTheCalendarDoNotCount() {
            long[] times = barStarts(XNYS, MONDAY_OPEN, 32);
            times[5] += 60_000;
            BarWindow window = window(times, repeat(32, 100), repeat(32, 1000));
            assertThat(ConfidenceFactors.dataQuality(window, XNYS, INTERVAL))
                    .isCloseTo(31.0 / 32, offset(1e-12));
        }
    }

    @Nested
    class MarketVolatility {

        @Test
        void calmScoresOneAndASpikeInTheLastSixteenBarsScoresLower() {
            BarWindow calm = window(closes(alternating(63, 0.001)));
            BarWindow doubled =
                    window(closes(concat(alternating(47, 0.001), alternating(16, 0.002))));
            BarWindow spike =
                    window(closes(concat(alternating(47, 0.001), alternating(16, 0.005))));

            assertThat(ConfidenceFactors.marketVolatility(calm)).isCloseTo(1, offset(1e-9));
            assertThat(ConfidenceFactors.marketVolatility(doubled)).isCloseTo(0.5, offset(1e-9));
            assertThat(ConfidenceFactors.marketVolatility(spike)).isEqualTo(0);
        }

        @Test
        void quieterThanBeforeScoresOne() {
            BarWindow quieter =
                    window(closes(concat(alternating(47, 0.004), alternating(16, 0.001))));
            assertThat(ConfidenceFactors.marketVolatility(quieter)).isEqualTo(1);
        }

        @Test
        void hasNoOpinionWithoutReturnsBeforeTheLastSixteen() {
            BarWindow short17 = window(closes(alternating(16, 0.01)));
            assertThat(ConfidenceFactors.marketVolatility(short17)).isEqualTo(0.5);
        }
    }

    @Nested
    class TrendConsistency {

        private final BarWindow uptrend = window(closes(repeat(40, 0.002)));

        @Test
        void aForecastWithAStrongUptrendScoresHigherThanOneAgainstIt() {
            assertThat(
                            ConfidenceFactors.trendConsistency(
                                    uptrend, lastClose(uptrend), upFrom(uptrend)))
                    .isEqualTo(1);
            assertThat(
                            ConfidenceFactors.trendConsistency(
                                    uptrend, lastClose(uptrend), downFrom(uptrend)))
                    .isEqualTo(0);
        }

        @Test
        void weighsTheRecentReturnsByTheirSize() {
            // The last 16 returns: 12 up by 0.1%, 4 down by 0.6%: more move down than up.
            double[] returns =
                    concat(repeat(24, 0.001), concat(repeat(12, 0.001), repeat(4, -0.006)));
            BarWindow window = window(closes(returns));
            assertThat(
                            ConfidenceFactors.trendConsistency(
                                    window, lastClose(window), upFrom(window)))
                    .isCloseTo(12 * 0.001 / (12 * 0.001 + 4 * 0.006), offset(1e-9));
        }

        @Test
        void hasNoOpinionOnAFlatForecastOrAFlatMarket() {
            double last = lastClose(uptrend);
            assertThat(ConfidenceFactors.trendConsistency(uptrend, last, new double[] {last}))
                    .isEqualTo(0.5);
            BarWindow flat = window(repeat(40, 100));
            assertThat(ConfidenceFactors.trendConsistency(flat, 100, UP)).isEqualTo(0.5);
        }
    }

    @Nested
    class VolumeAnalysis {

        @Test
        void normalVolumeScoresOne() {
            assertThat(ConfidenceFactors.volumeAnalysis(window(repeat(40, 100)))).isEqualTo(1);
        }

        @Test
        void veryThinVolumeScoresLowAndASurgeMedium() {
            double[] thin = concat(repeat(36, 1000), repeat(4, 100));
            double[] surge = concat(repeat(36, 1000), repeat(4, 10_000));
            double[] busy = concat(repeat(36, 1000), repeat(4, 3000));

            assertThat(ConfidenceFactors.volumeAnalysis(window(repeat(40, 100), thin)))
                    .isCloseTo(0.08, offset(1e-9));
            assertThat(ConfidenceFactors.volumeAnalysis(window(repeat(40, 100), surge)))
                    .isEqualTo(0.5);
            assertThat(ConfidenceFactors.volumeAnalysis(window(repeat(40, 100), busy)))
                    .isCloseTo(0.75, offset(1e-9));
        }

        @Test
        void comparesWithTheMedianSoOneHugeBarDoesNotMoveIt() {
            double[] volume = repeat(40, 1000);
            volume[3] = 1e9;
            assertThat(ConfidenceFactors.volumeAnalysis(window(repeat(40, 100), volume)))
                    .isEqualTo(1);
        }

        @Test
        void hasNoOpinionWithoutEarlierVolume() {
            assertThat(ConfidenceFactors.volumeAnalysis(window(repeat(4, 100)))).isEqualTo(0.5);
            assertThat(ConfidenceFactors.volumeAnalysis(window(repeat(40, 100), repeat(40, 0))))
                    .isEqualTo(0.5);
        }
    }

    @Nested
    class TechnicalIndicators {

        // Up 0.25%, down 0.2%, repeated: RSI about 56 and the close above its 20-bar mean.
        private final BarWindow mildUptrend = window(closes(mildSteps()));

        @Test
        void aMildUptrendSupportsAnUpForecastFully() {
            assertThat(
                            ConfidenceFactors.technicalIndicators(
                                    mildUptrend, lastClose(mildUptrend), upFrom(mildUptrend)))
                    .isEqualTo(1);
        }

        @Test
        void aForecastAgainstThePriceAboveItsMeanLosesThatVote() {
            assertThat(
                            ConfidenceFactors.technicalIndicators(
                                    mildUptrend, lastClose(mildUptrend), downFrom(mildUptrend)))
                    .isEqualTo(0.5);
        }

        @Test
        void anOverboughtMarketPenalisesAnUpForecast() {
            BarWindow overbought = window(closes(repeat(40, 0.002)));
            assertThat(
                            ConfidenceFactors.technicalIndicators(
                                    overbought, lastClose(overbought), upFrom(overbought)))
                    .isEqualTo(0.5);
        }

        @Test
        void hasNoOpinionOnAFlatForecastOrWithoutBars() {
            double last = lastClose(mildUptrend);
            assertThat(
                            ConfidenceFactors.technicalIndicators(
                                    mildUptrend, last, new double[] {last}))
                    .isEqualTo(0.5);
            BarWindow few = window(closes(repeat(5, 0.01)));
            assertThat(ConfidenceFactors.technicalIndicators(few, lastClose(few), upFrom(few)))
                    .isEqualTo(0.5);
        }

        private static double[] mildSteps() {
            double[] r = new double[40];
            for (int i = 0; i < r.length; i++) {
                r[i] = i % 2 == 0 ? 0.0025 : -0.002;
            }
            return r;
        }
    }

    @Nested
    class TimeOfDay {

        @Test
        void theFirstThirtyMinutesOfTheSessionScoreLowerThanMidday() {
            assertThat(timeOfDayAt(9, 30)).isEqualTo(0.5);
            assertThat(timeOfDayAt(9, 45)).isEqualTo(0.5);
            assertThat(timeOfDayAt(10, 0)).isEqualTo(1);
            assertThat(timeOfDayAt(12, 0)).isEqualTo(1);
        }

        @Test
        void theLastThirtyMinutesScoreLowerThanMidday() {
            assertThat(timeOfDayAt(15, 15)).isEqualTo(1);
            assertThat(timeOfDayAt(15, 30)).isEqualTo(0.75);
            assertThat(timeOfDayAt(15, 45)).isEqualTo(0.75);
        }

        @Test
        void theLastBarBeforeAWeekendScoresLowest() {
            long friday = newYork(2024, 1, 12, 15, 45);
            assertThat(ConfidenceFactors.timeOfDay(XNYS, INTERVAL, friday)).isEqualTo(0.5);
        }

        @Test
        void cryptoOnAWeekendScoresLowerThanOnAWeekday() {
            long saturday = utc(2024, 1, 13, 12, 0);
            long wednesday = utc(2024, 1, 10, 12, 0);
            AroundTheClock crypto = AroundTheClock.INSTANCE;

            assertThat(ConfidenceFactors.timeOfDay(crypto, INTERVAL, saturday)).isEqualTo(0.75);
            assertThat(ConfidenceFactors.timeOfDay(crypto, INTERVAL, wednesday)).isEqualTo(1);
        }

        private double timeOfDayAt(int hour, int minute) {
            // Wednesday 2024-01-10 in New York.
            return ConfidenceFactors.timeOfDay(XNYS, INTERVAL, newYork(2024, 1, 10, hour, minute));
        }

        private long utc(int year, int month, int day, int hour, int minute) {
            return LocalDateTime.of(year, month, day, hour, minute)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        }
    }

    @Nested
    class MarketRegime {

        @Test
        void aSteadyTrendScoresOneAndAMarketGoingNowhereLow() {
            assertThat(ConfidenceFactors.marketRegime(window(closes(repeat(40, 0.002)))))
                    .isCloseTo(1, offset(1e-12));
            assertThat(ConfidenceFactors.marketRegime(window(closes(alternating(40, 0.002)))))
                    .isCloseTo(0.3, offset(1e-12));
        }

        @Test
        void hasNoOpinionOnAShortOrMotionlessWindow() {
            assertThat(ConfidenceFactors.marketRegime(window(closes(repeat(15, 0.002)))))
                    .isEqualTo(0.5);
            assertThat(ConfidenceFactors.marketRegime(window(repeat(40, 100)))).isEqualTo(0.5);
        }
    }

    @Nested
    class PredictionStability {

        private final BarWindow window = window(closes(alternating(40, 0.001)));
        private final long[] times = barStarts(XNYS, MONDAY_OPEN + 86_400_000L, 8);
        private final double[] path = {100, 100.1, 100.2, 100.3, 100.4, 100.5, 100.6, 100.7};

        @Test
        void anUnchangedPathScoresOne() {
            assertThat(
                            ConfidenceFactors.predictionStability(
                                    window, times, path, times.clone(), path.clone()))
                    .isEqualTo(1);
        }

        @Test
        void aPathThatMovedByTwoTypicalMovesScoresZeroAndOneByHalfOfThatScoresHalf() {
            // The window's volatility is 0.1% a bar; move each point by sigma * sqrt(h).
            double[] half = new double[path.length];
            double[] twice = new double[path.length];
            for (int i = 0; i < path.length; i++) {
                double typical = 0.001 * Math.sqrt(i + 1);
                half[i] = path[i] * Math.exp(typical);
                twice[i] = path[i] * Math.exp(-2 * typical);
            }
            assertThat(ConfidenceFactors.predictionStability(window, times, path, times, half))
                    .isCloseTo(0.5, offset(1e-6));
            assertThat(ConfidenceFactors.predictionStability(window, times, path, times, twice))
                    .isCloseTo(0, offset(1e-6));
        }

        @Test
        void comparesOnlyTheTimesBothPathsHave() {
            // The previous forecast was made a bar earlier: its times start one bar sooner.
            long[] previousTimes = new long[times.length];
            previousTimes[0] = times[0] - INTERVAL.toMillis();
            System.arraycopy(times, 0, previousTimes, 1, times.length - 1);
            double[] previousPrices = new double[times.length];
            previousPrices[0] = 1;
            System.arraycopy(path, 0, previousPrices, 1, times.length - 1);

            assertThat(
                            ConfidenceFactors.predictionStability(
                                    window, times, path, previousTimes, previousPrices))
                    .isEqualTo(1);
        }

        @Test
        void hasNoOpinionWithoutAPreviousForecastOrOverlap() {
            assertThat(ConfidenceFactors.predictionStability(window, times, path, null, null))
                    .isEqualTo(0.5);
            long[] later = barStarts(XNYS, times[7] + 1, 3);
            assertThat(
                            ConfidenceFactors.predictionStability(
                                    window, times, path, later, new double[] {1, 2, 3}))
                    .isEqualTo(0.5);
        }

        @Test
        void aChangedPathInAMotionlessMarketScoresZero() {
            BarWindow flat = window(repeat(40, 100));
            double[] moved = path.clone();
            moved[3] *= 1.0001;
            assertThat(ConfidenceFactors.predictionStability(flat, times, path, times, moved))
                    .isEqualTo(0);
        }
    }

    @Nested
    class HistoricalAccuracy {

        @Test
        void mapsSixtyPercentToOneAndACoinTossToHalf() {
            assertThat(accuracy(0.6)).isCloseTo(1, offset(1e-9));
            assertThat(accuracy(0.5)).isEqualTo(0.5);
            assertThat(accuracy(0.4)).isCloseTo(0, offset(1e-9));
            assertThat(accuracy(0.9)).isEqualTo(1);
        }

        @Test
        void usesTheHeldOutRecordUntilTheSymbolHasThirtyPoints() {
            TrackRecord young = new TrackRecord(10, 0.01, 0.01, 0.9);
            TrackRecord heldOut = new TrackRecord(1000, 0.01, 0.01, 0.55);
            assertThat(ConfidenceFactors.historicalAccuracy(young, heldOut))
                    .isCloseTo(0.75, offset(1e-9));
            assertThat(ConfidenceFactors.historicalAccuracy(TrackRecord.NONE, TrackRecord.NONE))
                    .isEqualTo(0.5);
        }

        private double accuracy(double directionalAccuracy) {
            return ConfidenceFactors.historicalAccuracy(
                    new TrackRecord(100, 0.01, 0.01, directionalAccuracy), TrackRecord.NONE);
        }
    }

    private static double lastClose(BarWindow window) {
        return window.close()[window.size() - 1];
    }

    /** A path rising from the window's last close. */
    private static double[] upFrom(BarWindow window) {
        return scaled(UP, lastClose(window) / 100);
    }

    /** A path falling from the window's last close. */
    private static double[] downFrom(BarWindow window) {
        return scaled(DOWN, lastClose(window) / 100);
    }

    private static double[] scaled(double[] prices, double factor) {
        return Arrays.stream(prices).map(p -> p * factor).toArray();
    }
}
