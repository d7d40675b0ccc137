package io.barcast.functions.track;

import static io.barcast.functions.track.TrackFixtures.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.ForecastReason;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.core.confidence.ConfidenceFactor;
import io.barcast.core.confidence.ConfidenceWeights;
import io.barcast.core.confidence.TrackRecord;
import io.barcast.core.forecast.UncertaintyBand;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.TestModels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PredictionTrackerTest {

    private static final long BAR = 900_000;
    private static final long CRYPTO_START = Instant.parse("2026-03-16T00:00:00Z").toEpochMilli();
    private static final Duration TTL = Duration.ofDays(2);

    private PredictionTracker tracker;
    private KeyedTwoInputStreamOperatorTestHarness<String, InferenceResult, Bar, Prediction>
            harness;

    private static TrackerSettings settings(
            int minResiduals, double minProfit, double minConfidence) {
        return TrackFixtures.settings(
                minResiduals, minProfit, minConfidence, MonitorSettings.defaults());
    }

    private static TrackerSettings withMonitor(TrackerSettings base, MonitorSettings monitor) {
        return copy(base, base.liveFeed(), monitor);
    }

    private static TrackerSettings copy(
            TrackerSettings base, boolean liveFeed, MonitorSettings monitor) {
        return new TrackerSettings(
                base.calendars(),
                base.interval(),
                base.horizonDays(),
                base.bandCoverage(),
                base.minResiduals(),
                base.residualWindow(),
                base.scorer(),
                base.minProfitPercent(),
                base.minConfidence(),
                liveFeed,
                base.ttl(),
                monitor);
    }

    private static MonitorSettings monitor(
            Duration cooldown, int minPoints, Duration retrainAfter, double lowConfidence) {
        MonitorSettings d = MonitorSettings.defaults();
        return new MonitorSettings(
                d.driftThreshold(),
                cooldown,
                d.minDirectionalAccuracy(),
                minPoints,
                d.retrainSkillThreshold(),
                retrainAfter,
                lowConfidence,
                d.feedLag());
    }

    private <T> List<T> side(org.apache.flink.util.OutputTag<T> tag) {
        ConcurrentLinkedQueue<StreamRecord<T>> out = harness.getSideOutput(tag);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    /** Bars rising 0.1% a bar, with a range of 0.05% around open and close. */
    private static List<Bar> rising(String symbol, long start, int count) {
        List<Bar> bars = new ArrayList<>();
        double price = 100;
        for (int i = 0; i < count; i++) {
            double next = price * 1.001;
            bars.add(
                    Bar.of(
                            symbol,
                            start + i * BAR,
                            price,
                            next * 1.0005,
                            price * 0.9995,
                            next,
                            1000));
            price = next;
        }
        return bars;
    }

    private void open(TrackerSettings settings) throws Exception {
        tracker = new PredictionTracker(settings);
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(tracker),
                        InferenceResult::symbol,
                        Bar::symbol,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static InferenceResult result(
            String symbol, long asOf, String reason, double lastClose, float... logReturns) {
        return resultOf(
                symbol,
                asOf,
                reason,
                lastClose,
                new int[] {1, 2},
                new double[0],
                logReturns,
                new float[0]);
    }

    private static InferenceResult resultOf(
            String symbol,
            long asOf,
            String reason,
            double lastClose,
            int[] steps,
            double[] quantiles,
            float[] logReturns,
            float[] quantileLogReturns) {
        InferenceRequest request =
                new InferenceRequest(
                        symbol, asOf, reason, lastClose, "default", "1", new float[0], 5, 0);
        InferenceResult.ModelFacts facts =
                new InferenceResult.ModelFacts(
                        "default", "tiny", "1", steps, quantiles, 0L, TrackRecord.NONE);
        return InferenceResult.success(request, facts, logReturns, quantileLogReturns, 1, 10);
    }

    private void forecast(InferenceResult result) throws Exception {
        harness.processElement1(new StreamRecord<>(result, result.asOf()));
    }

    private void bar(Bar bar) throws Exception {
        harness.processElement2(new StreamRecord<>(bar, bar.time()));
    }

    private List<Prediction> predictions() {
        return harness.extractOutputValues();
    }

    private List<Recommendation> recommendations() {
        ConcurrentLinkedQueue<StreamRecord<Recommendation>> out =
                harness.getSideOutput(PredictionTracker.RECOMMENDATIONS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void mapsAStockForecastOntoTheNextWeekOfSessionBars() throws Exception {
        open(settings(30, 2.0, 0.6));
        long monday10am = Instant.parse("2026-03-16T14:00:00Z").toEpochMilli(); // 10:00 New York
        bar(Bar.of("AAPL", monday10am, 100, 101, 99, 100, 1000));
        forecast(result("AAPL", monday10am, "new_bar", 100, 0.01f, 0.02f));

        Prediction p = predictions().get(0);
        assertThat(p.times()).hasSize(130);
        assertThat(p.times()[0]).isEqualTo(monday10am + BAR);
        assertThat(p.times()[129]).isEqualTo(monday10am + 7 * 86_400_000L);
        assertThat(p.prices()[0]).isCloseTo(100 * Math.exp(0.01), offset(1e-4));
        assertThat(p.prices()[129]).isCloseTo(100 * Math.exp(0.02), offset(1e-4));
        assertThat(p.modelFolder()).isEqualTo("default");
        assertThat(p.modelVersion()).isEqualTo("1");
    }

    @Test
    void mapsACryptoForecastOntoEveryBarOfTheWeek() throws Exception {
        open(settings(30, 2.0, 0.6));
        bar(Bar.of("X:BTCUSD", CRYPTO_START, 100, 101, 99, 100, 1000));
        forecast(result("X:BTCUSD", CRYPTO_START, "new_bar", 100, 0.01f, 0.02f));
        assertThat(predictions().get(0).times()).hasSize(672);
    }

    @Test
    void theIdDependsOnSymbolBarModelAndTriggerSoARevisionReplacesTheForecast() throws Exception {
        open(settings(30, 2.0, 0.6));
        long t = Instant.parse("2026-03-16T14:00:00Z").toEpochMilli();
        bar(Bar.of("AAPL", t, 100, 101, 99, 100, 1000));
        bar(Bar.of("MSFT", t, 100, 101, 99, 100, 1000));
        forecast(result("AAPL", t, "new_bar", 100, 0.01f, 0.02f));
        forecast(result("AAPL", t, "revision", 100, 0.03f, 0.02f));
        forecast(result("MSFT", t, "new_bar", 100, 0.01f, 0.02f));
        forecast(result("AAPL", t, "model_update", 100, 0.01f, 0.02f));

        List<Prediction> out = predictions();
        assertThat(out.get(1).id()).isEqualTo(out.get(0).id());
        assertThat(out.get(2).id()).isNotEqualTo(out.get(0).id());
        assertThat(out.get(3).id()).isNotEqualTo(out.get(0).id());
    }

    @Test
    void aFailedInferenceBecomesADeadLetter() throws Exception {
        open(settings(30, 2.0, 0.6));
        InferenceRequest request =
                new InferenceRequest("AAPL", BAR, "new_bar", 1, "default", "1", new float[0], 0, 0);
        harness.processElement1(
                new StreamRecord<>(
                        InferenceResult.failure(
                                request,
                                InferenceResult.ModelFacts.unknown("default", "1"),
                                "inference timed out"),
                        BAR));
        assertThat(predictions()).isEmpty();
        assertThat(harness.getSideOutput(DeadLetters.TAG))
                .singleElement()
                .satisfies(
                        r -> {
                            DeadLetter d = r.getValue();
                            assertThat(d.stage()).isEqualTo("inference");
                            assertThat(d.reason()).isEqualTo("inference timed out");
                            assertThat(d.payload()).contains("\"modelVersion\":\"1\"");
                        });
    }

    @Test
    void theBandStartsFromVolatilityAndBecomesConformalOnceEnoughResidualsAreKnown()
            throws Exception {
        int minResiduals = 8;
        open(settings(minResiduals, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 40);
        List<Double> stepOneResiduals = new ArrayList<>();
        Prediction lastPrediction = null;
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            bar(b);
            if (i > 0) {
                // the forecast of the previous bar said +0.1% at step 1
                stepOneResiduals.add(
                        Math.log(
                                b.close() / (bars.get(i - 1).close() * Math.exp((double) 0.001f))));
            }
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), 0.001f, 0.002f));
            lastPrediction = predictions().get(predictions().size() - 1);
            if (i == 0) {
                assertThat(lastPrediction.bandMethod()).isEqualTo(UncertaintyBand.VOLATILITY);
            }
        }
        assertThat(lastPrediction.bandMethod()).isEqualTo(UncertaintyBand.CONFORMAL);
        // the last 50 (the window) step-1 residuals, split-conformal at 80%
        List<Double> window =
                stepOneResiduals.subList(
                        Math.max(0, stepOneResiduals.size() - 50), stepOneResiduals.size());
        double[] sorted = window.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double low = sorted[(int) Math.floor((n + 1) * 0.1) - 1];
        double high = sorted[(int) Math.ceil((n + 1) * 0.9) - 1];
        double price = lastPrediction.prices()[0];
        assertThat(lastPrediction.lower()[0]).isCloseTo(price * Math.exp(low), offset(1e-9));
        assertThat(lastPrediction.upper()[0]).isCloseTo(price * Math.exp(high), offset(1e-9));
        assertThat(lastPrediction.bandCoverage()).isEqualTo(0.8);
        for (int i = 0; i < lastPrediction.prices().length; i++) {
            assertThat(lastPrediction.lower()[i]).isLessThanOrEqualTo(lastPrediction.upper()[i]);
        }
    }

    @Test
    void aQuantileModelGivesTheBandAtTheCoverageLevels() throws Exception {
        open(settings(30, 100, 1));
        bar(TestModels.bars("X:ABC", CRYPTO_START, 1).get(0));
        // levels 0.1, 0.5, 0.9 at steps 1 and 2 (step-major)
        float[] quantiles = {-0.02f, 0.001f, 0.03f, -0.04f, 0.002f, 0.05f};
        forecast(
                resultOf(
                        "X:ABC",
                        CRYPTO_START,
                        "new_bar",
                        100,
                        new int[] {1, 2},
                        new double[] {0.1, 0.5, 0.9},
                        new float[] {0.001f, 0.002f},
                        quantiles));
        Prediction p = predictions().get(0);
        assertThat(p.bandMethod()).isEqualTo(UncertaintyBand.MODEL_QUANTILES);
        assertThat(p.lower()[0]).isCloseTo(100 * Math.exp(-0.02), offset(1e-4));
        assertThat(p.upper()[0]).isCloseTo(100 * Math.exp(0.03), offset(1e-4));
        assertThat(p.lower()[1]).isCloseTo(100 * Math.exp(-0.04), offset(1e-4));
        assertThat(p.upper()[671]).isCloseTo(100 * Math.exp(0.05), offset(1e-4));
    }

    @Test
    void storesTheConfidenceAsTheWeightedSumOfItsTenFactors() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 40);
        for (Bar b : bars) {
            bar(b);
        }
        Bar last = bars.get(bars.size() - 1);
        forecast(result("X:ABC", last.time(), "new_bar", last.close(), 0.001f, 0.002f));
        Prediction p = predictions().get(0);
        assertThat(p.confidenceFactors()).hasSize(10);
        double sum = 0;
        for (ConfidenceFactor factor : ConfidenceFactor.values()) {
            double value = p.confidenceFactors()[factor.ordinal()];
            assertThat(value).isBetween(0.0, 1.0);
            sum += ConfidenceWeights.DEFAULTS.weight(factor) * value;
        }
        assertThat(p.confidence()).isCloseTo(sum * p.confidenceDecay(), offset(1e-12));
        assertThat(p.confidenceDecay()).isEqualTo(1.0); // replayed bars have no feed delay
        assertThat(p.confidenceFactorsByName())
                .containsOnlyKeys(
                        Arrays.stream(ConfidenceFactor.values())
                                .map(ConfidenceFactor::key)
                                .toList());
    }

    @Test
    void confidenceDecaysWithTheFeedDelayOfALiveBarAndWithTheModelsAge() throws Exception {
        TrackerSettings base = settings(30, 100, 1);
        TrackerSettings live = copy(base, true, base.monitor());
        open(live);
        Bar bar = TestModels.bars("X:ABC", CRYPTO_START, 1).get(0);
        bar(bar);
        long barEnd = bar.time() + BAR;
        // arrived 20 min (the grace) + 1 h (a half-life) after the bar ended, model trained that
        // day
        long receivedAt = barEnd + Duration.ofMinutes(80).toMillis();
        InferenceRequest request =
                new InferenceRequest(
                        "X:ABC",
                        bar.time(),
                        "new_bar",
                        100,
                        "default",
                        "1",
                        new float[0],
                        receivedAt,
                        0);
        forecast(
                InferenceResult.success(
                        request,
                        new InferenceResult.ModelFacts(
                                "default",
                                "tiny",
                                "1",
                                new int[] {1, 2},
                                new double[0],
                                bar.time(),
                                TrackRecord.NONE),
                        new float[] {0.001f, 0.002f},
                        new float[0],
                        1,
                        10));
        assertThat(predictions().get(0).confidenceDecay()).isCloseTo(0.5, offset(1e-9));
        // 80 min after its end is past the feed-lag alert (30 min)
        assertThat(side(PredictionTracker.ALERTS))
                .filteredOn(a -> a.category().equals(Alert.FEED_LAG))
                .singleElement()
                .satisfies(a -> assertThat(a.message()).contains("80 min after it ended"));

        // the same bar with a model trained 30 days (grace) + 180 days (half-life) before it
        long trained = bar.time() - Duration.ofDays(210).toMillis();
        InferenceRequest onTime =
                new InferenceRequest(
                        "X:ABC",
                        bar.time(),
                        "model_update",
                        100,
                        "default",
                        "2",
                        new float[0],
                        barEnd,
                        0);
        forecast(
                InferenceResult.success(
                        onTime,
                        new InferenceResult.ModelFacts(
                                "default",
                                "tiny",
                                "2",
                                new int[] {1, 2},
                                new double[0],
                                trained,
                                TrackRecord.NONE),
                        new float[] {0.001f, 0.002f},
                        new float[0],
                        1,
                        10));
        Prediction old = predictions().get(1);
        assertThat(old.confidenceDecay()).isCloseTo(0.5, offset(1e-9));
        double sum = 0;
        for (ConfidenceFactor factor : ConfidenceFactor.values()) {
            sum +=
                    ConfidenceWeights.DEFAULTS.weight(factor)
                            * old.confidenceFactors()[factor.ordinal()];
        }
        assertThat(old.confidence()).isCloseTo(sum * 0.5, offset(1e-12));
    }

    @Test
    void recommendsTheBestTradesAndANewerForecastSupersedesThem() throws Exception {
        open(settings(30, 1.0, 0.0));
        Bar first = TestModels.bars("X:ABC", CRYPTO_START, 1).get(0);
        bar(first);
        // +5% in a bar, then flat: buy now, sell at the first bar of the top; no short
        forecast(result("X:ABC", first.time(), "new_bar", 100, 0.05f, 0.05f));
        assertThat(recommendations())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.side()).isEqualTo("long");
                            assertThat(r.entryTime()).isEqualTo(first.time());
                            assertThat(r.entryPrice()).isEqualTo(100);
                            assertThat(r.exitTime()).isEqualTo(first.time() + BAR);
                            assertThat(r.expectedReturnPercent())
                                    .isCloseTo(100 * (Math.exp(0.05) - 1), offset(1e-6));
                            assertThat(r.stopLoss()).isLessThan(100);
                            assertThat(r.status()).isEqualTo(Recommendation.ACTIVE);
                        });
        Recommendation firstTrade = recommendations().get(0);

        // the next forecast sees nothing worth 1%: the old trade is superseded, nothing new
        Bar second = TestModels.bars("X:ABC", CRYPTO_START + BAR, 1).get(0);
        bar(second);
        forecast(result("X:ABC", second.time(), "new_bar", 100, 0.001f, 0.002f));
        String secondId = predictions().get(1).id();
        assertThat(recommendations()).hasSize(2);
        assertThat(recommendations().get(1))
                .isEqualTo(firstTrade.supersededBy(secondId))
                .extracting(Recommendation::status)
                .isEqualTo(Recommendation.SUPERSEDED);

        // a third forecast has nothing left to supersede
        Bar third = TestModels.bars("X:ABC", CRYPTO_START + 2 * BAR, 1).get(0);
        bar(third);
        forecast(result("X:ABC", third.time(), "new_bar", 100, 0.001f, 0.002f));
        assertThat(recommendations()).hasSize(2);
    }

    @Test
    void noRecommendationBelowTheMinimumConfidence() throws Exception {
        open(settings(30, 1.0, 0.99));
        bar(TestModels.bars("X:ABC", CRYPTO_START, 1).get(0));
        forecast(result("X:ABC", CRYPTO_START, "new_bar", 100, 0.05f, 0.01f));
        assertThat(predictions()).hasSize(1);
        assertThat(recommendations()).isEmpty();
    }

    @Test
    void pointsAreScoredWhenTheirBarComesAndDroppedWhenTheBarNeverCame() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 6);
        bar(bars.get(0));
        forecast(result("X:ABC", bars.get(0).time(), "new_bar", bars.get(0).close(), 0, 0));
        // points at +1 and +2 bars wait
        assertThat(pendingTimes())
                .containsExactlyInAnyOrder(bars.get(1).time(), bars.get(2).time());
        bar(bars.get(1));
        assertThat(pendingTimes()).containsExactly(bars.get(2).time());
        assertThat(residualCount(1)).isEqualTo(1);
        // bar 2 never comes: bar 3 drops its point
        bar(bars.get(3));
        assertThat(pendingTimes()).isEmpty();
        assertThat(residualCount(2)).isZero();
    }

    @Test
    void aForecastWhoseBarAlreadyCameIsScoredAtOnce() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 3);
        bar(bars.get(0));
        bar(bars.get(1)); // overtook the forecast of bar 0
        forecast(result("X:ABC", bars.get(0).time(), "new_bar", bars.get(0).close(), 0, 0));
        assertThat(residualCount(1)).isEqualTo(1);
        assertThat(pendingTimes()).containsExactly(bars.get(2).time());
    }

    @Test
    void aResultThatOvertookItsBarWaitsForItAndLeavesLaterBarsOut() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 40);
        for (Bar b : bars.subList(0, 30)) {
            bar(b);
        }
        Bar asOf = bars.get(30);
        forecast(result("X:ABC", asOf.time(), "new_bar", asOf.close(), 0.001f, 0.002f));
        assertThat(predictions()).isEmpty();

        bar(asOf);
        assertThat(predictions()).hasSize(1);
        Prediction inOrder = predictions().get(0);

        // the same forecast again, this time after later bars came: the same band and confidence
        close();
        open(settings(30, 100, 1));
        for (Bar b : bars) {
            bar(b);
        }
        forecast(result("X:ABC", asOf.time(), "new_bar", asOf.close(), 0.001f, 0.002f));
        Prediction late = predictions().get(0);
        assertThat(late.lower()).containsExactly(inOrder.lower());
        assertThat(late.upper()).containsExactly(inOrder.upper());
        assertThat(late.confidenceFactors()).containsExactly(inOrder.confidenceFactors());
        assertThat(late.confidence()).isEqualTo(inOrder.confidence());
    }

    @Test
    void aRevisionAfterItsPointWasSettledReplacesTheResidualInsteadOfAddingOne() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 2);
        bar(bars.get(0));
        forecast(numbered("X:ABC", bars.get(0).time(), "new_bar", "1", 1, 100, 0.01f, 0.02f));
        bar(bars.get(1));
        assertThat(residualCount(1)).isEqualTo(1);
        // the revision of bar 0 comes after bar 1 settled the first forecast's step 1
        forecast(numbered("X:ABC", bars.get(0).time(), "revision", "1", 2, 100, 0.03f, 0.02f));
        assertThat(residualCount(1)).isEqualTo(1);
        assertThat(residual(1))
                .isCloseTo(
                        Math.log(bars.get(1).close() / (100 * Math.exp((double) 0.03f))),
                        offset(1e-12));
        // an older request of the same bar arriving last changes nothing
        forecast(numbered("X:ABC", bars.get(0).time(), "new_bar", "1", 1, 100, 0.01f, 0.02f));
        assertThat(residual(1))
                .isCloseTo(
                        Math.log(bars.get(1).close() / (100 * Math.exp((double) 0.03f))),
                        offset(1e-12));
    }

    @Test
    void ofTwoForecastsOfOneBarTheLaterRequestsTradesStayActiveInAnyArrivalOrder()
            throws Exception {
        open(settings(30, 1.0, 0.0));
        Bar bar = TestModels.bars("X:ABC", CRYPTO_START, 1).get(0);
        bar(bar);
        // the new model's forecast (request 2) overtakes the old model's (request 1)
        forecast(numbered("X:ABC", bar.time(), "model_update", "2", 2, 100, 0.05f, 0.05f));
        forecast(numbered("X:ABC", bar.time(), "new_bar", "1", 1, 100, -0.05f, -0.05f));

        String newer = predictions().get(0).id();
        List<Recommendation> trades = recommendations();
        assertThat(trades).hasSize(2);
        assertThat(trades.get(0))
                .satisfies(
                        t -> {
                            assertThat(t.predictionId()).isEqualTo(newer);
                            assertThat(t.side()).isEqualTo("long");
                            assertThat(t.status()).isEqualTo(Recommendation.ACTIVE);
                        });
        // the old model's short is published already superseded by the new model's forecast
        assertThat(trades.get(1))
                .satisfies(
                        t -> {
                            assertThat(t.side()).isEqualTo("short");
                            assertThat(t.status()).isEqualTo(Recommendation.SUPERSEDED);
                            assertThat(t.supersededBy()).isEqualTo(newer);
                        });
    }

    @Test
    void aResultFarBehindItsSymbolsBarsIsStillForecast() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 400);
        for (Bar b : bars) {
            bar(b);
        }
        // its bar left the bar ring 240 bars ago
        forecast(result("X:ABC", bars.get(0).time(), "new_bar", bars.get(0).close(), 0, 0));
        assertThat(predictions())
                .singleElement()
                .satisfies(p -> assertThat(p.confidence()).isBetween(0.0, 1.0));
    }

    @Test
    void aSilentSymbolsStateIsClearedAfterTheTtl() throws Exception {
        open(settings(30, 1.0, 0.0));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 3);
        for (Bar b : bars) {
            bar(b);
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), 0.05f, 0.01f));
        }
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        int before = recommendations().size();
        String lastForecast = predictions().get(predictions().size() - 1).id();
        List<Recommendation> active =
                recommendations().stream()
                        .filter(t -> t.predictionId().equals(lastForecast))
                        .toList();
        assertThat(active).isNotEmpty().allSatisfy(t -> assertThat(t.status()).isEqualTo("active"));
        assertThat(openTrades("X:ABC")).isNotEmpty();

        harness.processBothWatermarks(new Watermark(bars.get(2).time() + TTL.toMillis()));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        // nothing will supersede the last trade now: it expires with the state
        assertThat(recommendations().subList(before, recommendations().size()))
                .containsExactlyElementsOf(active.stream().map(Recommendation::expired).toList());
    }

    private List<Long> pendingTimes() throws Exception {
        List<Long> times = new ArrayList<>();
        for (var entry : state("X:ABC", PointBook.pendingDescriptor()).entries()) {
            times.add(entry.getKey());
        }
        return times;
    }

    @Test
    void theEndOfABoundedInputLeavesTheLastTradesActive() throws Exception {
        open(settings(30, 1.0, 0.0));
        Bar bar = TestModels.bars("X:ABC", CRYPTO_START, 1).get(0);
        bar(bar);
        forecast(result("X:ABC", bar.time(), "new_bar", 100, 0.05f, 0.05f));
        int before = recommendations().size();
        assertThat(before).isPositive();

        harness.processBothWatermarks(Watermark.MAX_WATERMARK);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(recommendations()).hasSize(before);
    }

    private List<Validation> validations() {
        ConcurrentLinkedQueue<StreamRecord<Validation>> out =
                harness.getSideOutput(PredictionTracker.VALIDATIONS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void validatesEachForecastPointWhenItsBarComes() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 3);
        bar(bars.get(0));
        forecast(result("X:ABC", bars.get(0).time(), "new_bar", bars.get(0).close(), 0.01f, -0.2f));
        Prediction p = predictions().get(0);
        assertThat(validations()).isEmpty();

        bar(bars.get(1));
        assertThat(validations())
                .singleElement()
                .satisfies(
                        v -> {
                            double actual = bars.get(1).close();
                            double predicted = p.prices()[0];
                            assertThat(v.id()).isEqualTo(Validation.idOf(p.id(), 1));
                            assertThat(v.predictionId()).isEqualTo(p.id());
                            assertThat(v.targetTime()).isEqualTo(bars.get(1).time());
                            assertThat(v.horizonBars()).isEqualTo(1);
                            assertThat(v.predicted()).isEqualTo(predicted);
                            assertThat(v.actual()).isEqualTo(actual);
                            assertThat(v.errorPercent())
                                    .isCloseTo(100 * (predicted - actual) / actual, offset(1e-12));
                            assertThat(v.naiveErrorPercent())
                                    .isCloseTo(
                                            100 * (bars.get(0).close() - actual) / actual,
                                            offset(1e-12));
                            assertThat(v.directionRight()).isEqualTo(actual > bars.get(0).close());
                            assertThat(v.insideBand())
                                    .isEqualTo(p.lower()[0] <= actual && actual <= p.upper()[0]);
                        });
        bar(bars.get(2));
        assertThat(validations()).hasSize(2);
        assertThat(validations().get(1).horizonBars()).isEqualTo(2);
        // a price far below the band is outside it
        assertThat(validations().get(1).predicted()).isLessThan(p.lower()[0]);
    }

    @Test
    void pointsWhoseBarNeverComesAreDroppedByATimerSoStateStaysBounded() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 200);
        for (Bar b : bars) {
            bar(b);
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), 0.001f, 0.002f));
            harness.processBothWatermarks(new Watermark(b.time()));
            // two steps: at most the next two bars have points waiting
            assertThat(pendingTimes().size()).isLessThanOrEqualTo(2);
        }
        Bar last = bars.get(bars.size() - 1);
        assertThat(pendingTimes()).hasSize(2);

        // the symbol stops: within the hour after the grace past its points' bars, they are gone
        long graceOver = last.time() + 3 * BAR + PointBook.PENDING_GRACE_MILLIS;
        harness.processBothWatermarks(new Watermark(graceOver - 1));
        assertThat(pendingTimes()).hasSize(2);
        harness.processBothWatermarks(new Watermark(graceOver + Duration.ofHours(1).toMillis()));
        assertThat(pendingTimes()).isEmpty();
        assertThat(predictions()).hasSize(200);
        assertThat(validations()).hasSize(2 * 200 - 3);
    }

    @Test
    void asksForARepredictionWhenAPointMissesByMoreThanTheThresholdAtMostOncePerCooldown()
            throws Exception {
        open(withMonitor(settings(30, 100, 1), monitor(Duration.ofHours(1), 50, TTL, 0)));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 10);
        for (Bar b : bars) {
            bar(b);
            // 5% up a bar ahead: the bars move 0.2% at most, so every point misses by over 2%
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), 0.05f, 0.05f));
        }
        List<RepredictionRequest> asked = side(PredictionTracker.REPREDICTIONS);
        // the first miss shows with bar 1; then one an hour (4 bars) at most
        assertThat(asked)
                .extracting(RepredictionRequest::barTime)
                .containsExactly(bars.get(1).time(), bars.get(5).time(), bars.get(9).time());
        assertThat(asked)
                .allSatisfy(
                        r -> {
                            assertThat(r.symbol()).isEqualTo("X:ABC");
                            assertThat(r.cause())
                                    .isEqualTo(ForecastReason.VALIDATION_DRIFT.label());
                            assertThat(r.detail()).contains("off by").contains("threshold 2.00%");
                        });
    }

    @Test
    void noRepredictionWhileThePointsStayWithinTheThreshold() throws Exception {
        open(settings(30, 100, 1));
        for (Bar b : TestModels.bars("X:ABC", CRYPTO_START, 10)) {
            bar(b);
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), 0.001f, 0.001f));
        }
        assertThat(side(PredictionTracker.REPREDICTIONS)).isEmpty();
    }

    @Test
    void aRepredictionTakesOutEachStepsRecentBias() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 16);
        long sequence = 0;
        for (Bar b : bars) {
            bar(b);
            forecast(
                    numbered(
                            "X:ABC",
                            b.time(),
                            "new_bar",
                            "1",
                            ++sequence,
                            b.close(),
                            0.05f,
                            0.03f));
        }
        Bar last = bars.get(bars.size() - 1);
        forecast(
                numbered(
                        "X:ABC",
                        last.time(),
                        ForecastReason.VALIDATION_DRIFT.label(),
                        "1",
                        ++sequence,
                        last.close(),
                        0.05f,
                        0.03f));

        Prediction plain = predictions().get(predictions().size() - 2);
        Prediction repredicted = predictions().get(predictions().size() - 1);
        assertThat(repredicted.reason()).isEqualTo(ForecastReason.VALIDATION_DRIFT.label());
        assertThat(repredicted.id()).isNotEqualTo(plain.id());
        // step 1's residuals ln(actual / predicted), recomputed from the bars: their median
        double[] residuals = new double[bars.size() - 1];
        for (int i = 0; i + 1 < bars.size(); i++) {
            residuals[i] =
                    Math.log(bars.get(i + 1).close() / (bars.get(i).close() * Math.exp(0.05f)));
        }
        Arrays.sort(residuals);
        double median = residuals[residuals.length / 2];
        assertThat(repredicted.prices()[0])
                .isCloseTo(last.close() * Math.exp(0.05f + median), offset(1e-6));
        assertThat(plain.prices()[0]).isCloseTo(last.close() * Math.exp(0.05f), offset(1e-6));
        // the corrected path is where the prices went: far closer than the biased one
        assertThat(Math.abs(repredicted.prices()[0] / last.close() - 1)).isLessThan(0.005);

        // its point is validated as published, but the step keeps the model's own residual, so
        // the next correction is measured against the model again, not against the last one
        Bar next = TestModels.bars("X:ABC", CRYPTO_START, 17).get(16);
        bar(next);
        Validation checked = validations().get(validations().size() - 1);
        assertThat(checked.predictionId()).isEqualTo(repredicted.id());
        assertThat(checked.predicted()).isEqualTo(repredicted.prices()[0]);
        assertThat(residual(1))
                .isCloseTo(Math.log(next.close() / (last.close() * Math.exp(0.05f))), offset(1e-7));
    }

    @Test
    void publishesRollingAccuracyPerHorizonBucketRecomputableFromTheValidations() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 12);
        for (Bar b : bars) {
            bar(b);
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), 0.004f, -0.003f));
        }
        long asOf = bars.get(bars.size() - 1).time();
        List<Accuracy> latest =
                side(PredictionTracker.ACCURACY).stream().filter(a -> a.asOf() == asOf).toList();
        // steps 1 and 2 are both within the hour
        assertThat(latest).extracting(Accuracy::horizon).containsExactlyInAnyOrder("1h", "all");
        Accuracy all = latest.stream().filter(a -> a.horizon().equals("all")).findFirst().get();
        List<Validation> settled =
                validations().stream().filter(v -> v.targetTime() <= asOf).toList();
        assertThat(all.points()).isEqualTo(settled.size());
        double mae =
                settled.stream().mapToDouble(v -> Math.abs(v.errorPercent())).average().orElse(0);
        double naive =
                settled.stream()
                        .mapToDouble(v -> Math.abs(v.naiveErrorPercent()))
                        .average()
                        .orElse(0);
        double rmse =
                Math.sqrt(
                        settled.stream()
                                .mapToDouble(v -> v.errorPercent() * v.errorPercent())
                                .average()
                                .orElse(0));
        List<Validation> moved = settled.stream().filter(v -> v.directionRight() != null).toList();
        double direction =
                (double) moved.stream().filter(Validation::directionRight).count() / moved.size();
        double coverage =
                (double) settled.stream().filter(Validation::insideBand).count() / settled.size();
        assertThat(all.maePercent()).isCloseTo(mae, offset(1e-9));
        assertThat(all.rmsePercent()).isCloseTo(rmse, offset(1e-9));
        assertThat(all.naiveMaePercent()).isCloseTo(naive, offset(1e-9));
        assertThat(all.directionalAccuracy()).isCloseTo(direction, offset(1e-12));
        assertThat(all.bandCoverage()).isCloseTo(coverage, offset(1e-12));
        assertThat(all.skill()).isCloseTo(1 - mae / naive, offset(1e-9));
        assertThat(all.id()).isEqualTo(Accuracy.idOf("X:ABC", "all", asOf));
    }

    @Test
    void anAccuracyDropRaisesOneAlertAndAsksForARepredictionOnce() throws Exception {
        open(withMonitor(settings(30, 100, 1), monitor(Duration.ofHours(1), 5, TTL, 0)));
        // the price rises every bar, the forecasts say it falls a little: direction always wrong,
        // error always below the drift threshold
        for (Bar b : rising("X:ABC", CRYPTO_START, 20)) {
            bar(b);
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), -0.001f, -0.001f));
        }
        List<Alert> drops =
                side(PredictionTracker.ALERTS).stream()
                        .filter(a -> a.category().equals(Alert.ACCURACY_DROP))
                        .toList();
        assertThat(drops).singleElement().satisfies(a -> assertThat(a.message()).contains("0.000"));
        assertThat(side(PredictionTracker.REPREDICTIONS))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.cause()).isEqualTo(ForecastReason.ACCURACY_DROP.label());
                            assertThat(r.barTime()).isEqualTo(drops.get(0).time());
                        });
    }

    @Test
    void countsSymbolsWithLowAccuracyAndSkillForTheGaugesUntilTheirStateIsCleared()
            throws Exception {
        open(withMonitor(settings(30, 100, 1), monitor(Duration.ofHours(1), 5, TTL, 0)));
        // X:BAD is always wrong and worse than no change; X:GOOD follows its path exactly
        List<Bar> bad = rising("X:BAD", CRYPTO_START, 20);
        for (Bar b : bad) {
            bar(b);
            forecast(result("X:BAD", b.time(), "new_bar", b.close(), -0.001f, -0.001f));
        }
        float oneBar = (float) Math.log(1.001);
        for (Bar b : rising("X:GOOD", CRYPTO_START, 20)) {
            bar(b);
            forecast(result("X:GOOD", b.time(), "new_bar", b.close(), oneBar, 2 * oneBar));
        }
        assertThat(tracker.flaggedSymbols().lowAccuracy()).isEqualTo(1);
        assertThat(tracker.flaggedSymbols().lowSkill()).isEqualTo(1);

        harness.processBothWatermarks(new Watermark(bad.get(19).time() + TTL.toMillis()));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(tracker.flaggedSymbols().lowAccuracy()).isZero();
        assertThat(tracker.flaggedSymbols().lowSkill()).isZero();
    }

    @Test
    void asksForARetrainWhenSkillStaysBelowTheThresholdLongEnoughThenNotAgainTooSoon()
            throws Exception {
        Duration after = Duration.ofHours(1);
        open(withMonitor(settings(30, 100, 1), monitor(Duration.ofDays(1), 5, after, 0)));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 20);
        for (Bar b : bars) {
            bar(b);
            // no change beats a forecast 1% off every time
            forecast(result("X:ABC", b.time(), "new_bar", b.close(), 0.01f, 0.01f));
        }
        List<Accuracy> all =
                side(PredictionTracker.ACCURACY).stream()
                        .filter(a -> a.horizon().equals("all") && a.points() >= 5)
                        .toList();
        long lowSince = all.get(0).asOf();
        assertThat(all.get(0).skill()).isNegative();
        List<Long> expected = new ArrayList<>();
        for (long t = lowSince + after.toMillis();
                t <= bars.get(bars.size() - 1).time();
                t += after.toMillis()) {
            expected.add(t);
        }
        assertThat(expected).hasSizeGreaterThan(1);
        List<RetrainRequest> retrains = side(PredictionTracker.RETRAINS);
        assertThat(retrains).extracting(RetrainRequest::asOf).containsExactlyElementsOf(expected);
        assertThat(retrains.get(0))
                .satisfies(
                        r -> {
                            assertThat(r.belowSince()).isEqualTo(lowSince);
                            assertThat(r.modelFolder()).isEqualTo("default");
                            assertThat(r.modelVersion()).isEqualTo("1");
                            assertThat(r.skill()).isNegative();
                            assertThat(r.maePercent()).isGreaterThan(r.naiveMaePercent());
                            assertThat(r.message()).contains("X:ABC").contains("skill below");
                        });
    }

    @Test
    void followsEachTradeToItsTargetItsStopOrItsExit() throws Exception {
        open(settings(30, 1.0, 0.0));
        long t0 = CRYPTO_START;
        for (String symbol : List.of("X:HIT", "X:STOP", "X:FLAT")) {
            bar(Bar.of(symbol, t0, 100, 100.1, 99.9, 100, 1000));
            forecast(result(symbol, t0, "new_bar", 100, 0.05f, 0.05f));
        }
        Recommendation trade =
                recommendations().stream()
                        .filter(r -> r.symbol().equals("X:HIT") && r.side().equals("long"))
                        .findFirst()
                        .orElseThrow();
        assertThat(trade.entryTime()).isEqualTo(t0);
        assertThat(trade.targetPrice()).isGreaterThan(104);
        assertThat(trade.stopLoss()).isLessThan(100);

        // the target is reached in the bar after entry (the path's peak, so also the exit bar)
        assertThat(trade.exitTime()).isEqualTo(t0 + BAR);
        bar(Bar.of("X:HIT", t0 + BAR, 100, 110, 100, 106, 1000));
        // the stop is hit at once
        bar(Bar.of("X:STOP", t0 + BAR, 100, 100.2, 50, 60, 1000));
        // flat until the exit time
        for (long t = t0 + BAR; t <= trade.exitTime(); t += BAR) {
            bar(Bar.of("X:FLAT", t, 100, 100.1, 100, 100.05, 1000));
        }

        List<TradeOutcome> outcomes = side(PredictionTracker.OUTCOMES);
        TradeOutcome hit = outcomeOf(outcomes, "X:HIT", "long");
        assertThat(hit.outcome()).isEqualTo(TradeOutcome.TARGET_HIT);
        assertThat(hit.entryPrice()).isEqualTo(100);
        assertThat(hit.exitTime()).isEqualTo(t0 + BAR);
        assertThat(hit.exitPrice()).isEqualTo(trade.targetPrice());
        assertThat(hit.realizedReturnPercent())
                .isCloseTo(100 * (trade.targetPrice() - 100) / 100, offset(1e-9));
        assertThat(hit.barsHeld()).isEqualTo(1);
        TradeOutcome stop = outcomeOf(outcomes, "X:STOP", "long");
        assertThat(stop.outcome()).isEqualTo(TradeOutcome.STOP_HIT);
        assertThat(stop.realizedReturnPercent()).isNegative();
        TradeOutcome flat = outcomeOf(outcomes, "X:FLAT", "long");
        assertThat(flat.outcome()).isEqualTo(TradeOutcome.EXPIRED);
        assertThat(flat.exitTime()).isEqualTo(trade.exitTime());
        assertThat(flat.realizedReturnPercent()).isCloseTo(0.05, offset(1e-9));
        assertThat(openTrades("X:FLAT")).isEmpty();
    }

    @Test
    void aTradeWhoseBarsCameBeforeItsForecastIsFollowedFromTheBarsAlreadyHeld() throws Exception {
        open(settings(30, 1.0, 0.0));
        long t0 = CRYPTO_START;
        bar(Bar.of("X:LAG", t0, 100, 100.1, 99.9, 100, 1000));
        bar(Bar.of("X:LAG", t0 + BAR, 100, 110, 100, 106, 1000));
        bar(Bar.of("X:LAG", t0 + 2 * BAR, 106, 107, 105, 106, 1000));
        forecast(result("X:LAG", t0, "new_bar", 100, 0.05f, 0.05f));
        assertThat(outcomeOf(side(PredictionTracker.OUTCOMES), "X:LAG", "long"))
                .satisfies(
                        o -> {
                            assertThat(o.outcome()).isEqualTo(TradeOutcome.TARGET_HIT);
                            assertThat(o.exitTime()).isEqualTo(t0 + BAR);
                        });
    }

    private static TradeOutcome outcomeOf(List<TradeOutcome> outcomes, String symbol, String side) {
        return outcomes.stream()
                .filter(o -> o.symbol().equals(symbol) && o.side().equals(side))
                .findFirst()
                .orElseThrow();
    }

    private List<OpenTrade> openTrades(String symbol) throws Exception {
        List<OpenTrade> trades = new ArrayList<>();
        Iterable<OpenTrade> stored = state(symbol, TradeBook.openTradesDescriptor()).get();
        if (stored != null) {
            stored.forEach(trades::add);
        }
        return trades;
    }

    @Test
    void raisesAlertsForADataGapAFailedInferenceAndLowConfidence() throws Exception {
        open(withMonitor(settings(30, 100, 1), monitor(Duration.ofHours(1), 50, TTL, 0.99)));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 6);
        bar(bars.get(0));
        forecast(result("X:ABC", bars.get(0).time(), "new_bar", bars.get(0).close(), 0f, 0f));
        bar(bars.get(4)); // bars 1 to 3 never came
        InferenceRequest request =
                new InferenceRequest(
                        "X:ABC",
                        bars.get(4).time(),
                        "new_bar",
                        1,
                        "default",
                        "1",
                        new float[0],
                        5,
                        1);
        forecast(
                InferenceResult.failure(
                        request,
                        InferenceResult.ModelFacts.unknown("default", "1"),
                        "inference timed out"));

        List<Alert> alerts = side(PredictionTracker.ALERTS);
        assertThat(alerts)
                .extracting(Alert::category)
                .containsExactly(Alert.LOW_CONFIDENCE, Alert.DATA_GAP, Alert.INFERENCE);
        assertThat(alerts.get(1).message()).startsWith("3 bars missing on the 24x7 calendar");
        assertThat(alerts.get(1).severity()).isEqualTo(Alert.WARNING);
        assertThat(alerts.get(2).message()).contains("inference timed out");
    }

    @Test
    void lateDuplicateAndRevisedBarsValidateNoPointTwice() throws Exception {
        open(settings(30, 100, 1));
        List<Bar> bars = TestModels.bars("X:ABC", CRYPTO_START, 4);
        bar(bars.get(0));
        forecast(result("X:ABC", bars.get(0).time(), "new_bar", bars.get(0).close(), 0.01f, 0.01f));
        bar(bars.get(1));
        bar(bars.get(1)); // duplicate
        Bar b1 = bars.get(1);
        bar(Bar.of("X:ABC", b1.time(), b1.open(), b1.high() + 1, b1.low(), b1.close() + 0.5, 9));
        bar(bars.get(0)); // late
        assertThat(validations()).hasSize(1);
        assertThat(validations().get(0).actual()).isEqualTo(b1.close());
        bar(bars.get(2));
        assertThat(validations()).hasSize(2);
        assertThat(validations()).extracting(Validation::id).doesNotHaveDuplicates();
    }

    private double residual(int step) throws Exception {
        ResidualRing ring = residualRing(step);
        return ring.residual[ring.head];
    }

    private int residualCount(int step) throws Exception {
        ResidualRing ring = residualRing(step);
        return ring == null ? 0 : ring.count;
    }

    private ResidualRing residualRing(int step) throws Exception {
        return state("X:ABC", PointBook.residualsDescriptor()).get(step);
    }

    /** The tracker's state of {@code descriptor} for {@code symbol}, as the operator holds it. */
    private <S extends org.apache.flink.api.common.state.State> S state(
            String symbol, org.apache.flink.api.common.state.StateDescriptor<S, ?> descriptor)
            throws Exception {
        harness.getOperator().getKeyedStateBackend().setCurrentKey(symbol);
        return harness.getOperator()
                .getKeyedStateBackend()
                .getPartitionedState(
                        org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                        org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                        descriptor);
    }
}
