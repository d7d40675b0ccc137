package io.barcast.functions.track;

import static io.barcast.functions.track.TrackFixtures.BAR;
import static io.barcast.functions.track.TrackFixtures.CRYPTO_START;
import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.ForecastReason;
import io.barcast.core.Prediction;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.Validation;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthWatchTest {

    private static final String SYMBOL = "X:ABC";
    private static final long DAY = Duration.ofDays(1).toMillis();

    private PartHarness<HealthWatch> harness;

    private void open(MonitorSettings monitor) throws Exception {
        harness = new PartHarness<>(context -> new HealthWatch(monitor, context));
    }

    private void open() throws Exception {
        open(MonitorSettings.defaults());
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** A forecast of model version {@code version} as of {@code asOf}. */
    private static Prediction prediction(long asOf, String reason, double confidence) {
        return new Prediction(
                Prediction.idOf(SYMBOL, asOf, "tiny", "1", reason),
                SYMBOL,
                asOf,
                reason,
                "default",
                "tiny",
                "1",
                100,
                new long[] {asOf + BAR},
                new double[] {101},
                new double[] {99},
                new double[] {103},
                "volatility",
                0.8,
                confidence,
                "medium",
                new double[0],
                0,
                1,
                10,
                asOf,
                asOf);
    }

    /** Rolling figures over all steps: 60 points, this directional accuracy and skill. */
    private static Accuracy accuracy(long asOf, Double direction, Double skill) {
        return new Accuracy(
                Accuracy.idOf(SYMBOL, Accuracy.ALL, asOf),
                SYMBOL,
                asOf,
                Accuracy.ALL,
                "1",
                60,
                1.5,
                2,
                1,
                1.5,
                direction,
                0.8,
                skill);
    }

    /** A point of the forecast as of {@code asOf}, one bar ahead, off by {@code percent}. */
    private static Validation pointOff(long asOf, double percent) {
        return Validation.of("p", SYMBOL, asOf, asOf + BAR, 1, 100, 100 + percent, 100, 99, 101);
    }

    private void judgePoint(long barTime, Validation worst) throws Exception {
        harness.run(SYMBOL, (watch, out, timers) -> watch.judgePoint(SYMBOL, barTime, worst, out));
    }

    private void judge(Prediction prediction, Accuracy overall) throws Exception {
        harness.run(SYMBOL, (watch, out, timers) -> watch.judgeForecast(prediction, overall, out));
    }

    @Test
    void aPointOffByMoreThanTheThresholdAsksForARepredictionAtMostOncePerCooldown()
            throws Exception {
        open();
        for (int i = 1; i <= 5; i++) {
            long bar = CRYPTO_START + i * BAR;
            judgePoint(bar, pointOff(bar - BAR, 5));
        }
        assertThat(harness.side(PredictionTracker.REPREDICTIONS))
                .extracting(RepredictionRequest::barTime)
                .containsExactly(CRYPTO_START + BAR, CRYPTO_START + 5 * BAR);
        assertThat(harness.side(PredictionTracker.REPREDICTIONS))
                .allSatisfy(
                        r -> {
                            assertThat(r.cause())
                                    .isEqualTo(ForecastReason.VALIDATION_DRIFT.label());
                            assertThat(r.detail()).contains("off by 5.00%");
                        });
    }

    @Test
    void aPointWithinTheThresholdOrNoPointAsksForNothingAndStoresNothing() throws Exception {
        open();
        judgePoint(CRYPTO_START + BAR, pointOff(CRYPTO_START, 1));
        judgePoint(CRYPTO_START + 2 * BAR, null);
        assertThat(harness.side(PredictionTracker.REPREDICTIONS)).isEmpty();
        assertThat(harness.stateEntries()).isZero();
    }

    @Test
    void lowConfidenceRaisesAnInfoAlert() throws Exception {
        open();
        judge(prediction(CRYPTO_START, "new_bar", 0.1), null);
        judge(prediction(CRYPTO_START + BAR, "new_bar", 0.9), null);
        assertThat(harness.side(PredictionTracker.ALERTS))
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.category()).isEqualTo(Alert.LOW_CONFIDENCE);
                            assertThat(alert.severity()).isEqualTo(Alert.INFO);
                            assertThat(alert.message()).contains("confidence 0.10");
                        });
    }

    @Test
    void anAccuracyDropAlertsAndAsksOncePerDropAndTheGaugeFollowsIt() throws Exception {
        open();
        judge(prediction(CRYPTO_START, "new_bar", 0.9), accuracy(CRYPTO_START, 0.2, 0.1));
        judge(
                prediction(CRYPTO_START + BAR, "new_bar", 0.9),
                accuracy(CRYPTO_START + BAR, 0.2, 0.1));
        assertThat(harness.side(PredictionTracker.ALERTS))
                .extracting(Alert::category)
                .containsExactly(Alert.ACCURACY_DROP);
        assertThat(harness.side(PredictionTracker.REPREDICTIONS))
                .singleElement()
                .satisfies(
                        r -> assertThat(r.cause()).isEqualTo(ForecastReason.ACCURACY_DROP.label()));
        assertThat(harness.part().flagged().lowAccuracy()).isEqualTo(1);

        long recovered = CRYPTO_START + 2 * BAR;
        judge(prediction(recovered, "new_bar", 0.9), accuracy(recovered, 0.6, 0.1));
        assertThat(harness.part().flagged().lowAccuracy()).isZero();

        // a second drop alerts again; the cooldown of an hour since the first request holds it
        long again = CRYPTO_START + 3 * BAR;
        judge(prediction(again, "new_bar", 0.9), accuracy(again, 0.2, 0.1));
        assertThat(harness.side(PredictionTracker.ALERTS)).hasSize(2);
        assertThat(harness.side(PredictionTracker.REPREDICTIONS)).hasSize(1);
    }

    @Test
    void aRepredictionsOwnAccuracyDropAlertsWithoutAskingAgain() throws Exception {
        open();
        judge(
                prediction(CRYPTO_START, ForecastReason.ACCURACY_DROP.label(), 0.9),
                accuracy(CRYPTO_START, 0.2, 0.1));
        assertThat(harness.side(PredictionTracker.ALERTS)).hasSize(1);
        assertThat(harness.side(PredictionTracker.REPREDICTIONS)).isEmpty();
    }

    @Test
    void skillLowForLongAsksForARetrainThenWaitsAsLongAgain() throws Exception {
        open(); // retrain after 2 days of skill below 0
        for (int day = 0; day <= 4; day++) {
            long asOf = CRYPTO_START + day * DAY;
            judge(prediction(asOf, "new_bar", 0.9), accuracy(asOf, 0.6, -0.5));
        }
        assertThat(harness.side(PredictionTracker.RETRAINS))
                .extracting(RetrainRequest::asOf)
                .containsExactly(CRYPTO_START + 2 * DAY, CRYPTO_START + 4 * DAY);
        assertThat(harness.side(PredictionTracker.RETRAINS))
                .allSatisfy(r -> assertThat(r.belowSince()).isEqualTo(CRYPTO_START));
        assertThat(harness.part().flagged().lowSkill()).isEqualTo(1);
    }

    @Test
    void tooFewPointsAreNotJudged() throws Exception {
        MonitorSettings d = MonitorSettings.defaults();
        open(
                new MonitorSettings(
                        d.driftThreshold(),
                        d.repredictionCooldown(),
                        d.minDirectionalAccuracy(),
                        61,
                        d.retrainSkillThreshold(),
                        Duration.ZERO,
                        d.lowConfidence(),
                        d.feedLag()));
        judge(prediction(CRYPTO_START, "new_bar", 0.9), accuracy(CRYPTO_START, 0.2, -0.5));
        assertThat(harness.side(PredictionTracker.ALERTS)).isEmpty();
        assertThat(harness.side(PredictionTracker.RETRAINS)).isEmpty();
        assertThat(harness.stateEntries()).isZero();
    }

    @Test
    void aBarThatCameLaterThanTheFeedLagRaisesAnAlert() throws Exception {
        open(); // feed lag alert above 30 minutes
        harness.run(
                SYMBOL,
                (watch, out, timers) -> {
                    watch.judgeFeedDelay(
                            SYMBOL, CRYPTO_START, Duration.ofMinutes(30).toMillis(), out);
                    watch.judgeFeedDelay(
                            SYMBOL, CRYPTO_START + BAR, Duration.ofMinutes(45).toMillis(), out);
                });
        assertThat(harness.side(PredictionTracker.ALERTS))
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.category()).isEqualTo(Alert.FEED_LAG);
                            assertThat(alert.message()).contains("45 min after it ended");
                        });
    }

    @Test
    void clearForgetsTheHealthAndTheSymbolsPlaceInTheGauges() throws Exception {
        open();
        judge(prediction(CRYPTO_START, "new_bar", 0.9), accuracy(CRYPTO_START, 0.2, -0.5));
        assertThat(harness.stateEntries()).isPositive();
        assertThat(harness.part().flagged().lowAccuracy()).isEqualTo(1);
        assertThat(harness.part().flagged().lowSkill()).isEqualTo(1);

        harness.run(SYMBOL, (watch, out, timers) -> watch.clear(SYMBOL));
        assertThat(harness.stateEntries()).isZero();
        assertThat(harness.part().flagged().lowAccuracy()).isZero();
        assertThat(harness.part().flagged().lowSkill()).isZero();
    }
}
