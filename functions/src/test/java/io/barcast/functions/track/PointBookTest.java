package io.barcast.functions.track;

import static io.barcast.functions.track.TrackFixtures.BAR;
import static io.barcast.functions.track.TrackFixtures.CRYPTO_START;
import static io.barcast.functions.track.TrackFixtures.forecast;
import static io.barcast.functions.track.TrackFixtures.result;
import static io.barcast.functions.track.TrackFixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.Prediction;
import io.barcast.core.Validation;
import io.barcast.functions.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PointBookTest {

    private static final String SYMBOL = "X:ABC";
    private static final TrackerSettings SETTINGS =
            TrackFixtures.settings(30, 100, 1, MonitorSettings.defaults());
    private static final int[] STEPS = {1, 2};

    private final List<Bar> bars = TestModels.bars(SYMBOL, CRYPTO_START, 6);
    private final RecentForecasts recentForecasts = new RecentForecasts();
    private PartHarness<PointBook> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new PartHarness<>(context -> new PointBook(SETTINGS, context));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** Forecasts as of the first bar (up 1% and 2%) and keeps its points, {@code known} bars in. */
    private Prediction rememberFirstForecast(int known) throws Exception {
        BarRing ring = ring(bars.subList(0, known));
        ForecastAssembler.Assembled assembled =
                forecast(SETTINGS, result(SYMBOL, bars.get(0).time(), 0, 100, 0.01f, 0.02f), ring);
        harness.run(
                SYMBOL,
                (points, out, timers) ->
                        points.remember(
                                assembled.prediction(),
                                0,
                                STEPS,
                                assembled.bias(),
                                ring,
                                recentForecasts,
                                out,
                                timers));
        return assembled.prediction();
    }

    private List<Long> pendingTimes() throws Exception {
        List<Long> times = new ArrayList<>();
        for (var entry : harness.state(SYMBOL, PointBook.pendingDescriptor()).entries()) {
            times.add(entry.getKey());
        }
        return times;
    }

    private ResidualRing ringOf(int step) throws Exception {
        return harness.state(SYMBOL, PointBook.residualsDescriptor()).get(step);
    }

    private Validation validate(Bar bar) throws Exception {
        Validation[] worst = new Validation[1];
        harness.run(SYMBOL, (points, out, timers) -> worst[0] = points.validate(bar, out));
        return worst[0];
    }

    @Test
    void aPointWaitsForItsBarThenSettlesIntoItsStepsRing() throws Exception {
        Prediction p = rememberFirstForecast(1);
        assertThat(pendingTimes())
                .containsExactlyInAnyOrder(bars.get(1).time(), bars.get(2).time());
        assertThat(harness.timers()).isPositive();
        assertThat(recentForecasts.times[0])
                .containsExactly(bars.get(1).time(), bars.get(2).time());
        assertThat(harness.side(PredictionTracker.VALIDATIONS)).isEmpty();

        Validation worst = validate(bars.get(1));

        assertThat(harness.side(PredictionTracker.VALIDATIONS)).containsExactly(worst);
        assertThat(worst.id()).isEqualTo(Validation.idOf(p.id(), 1));
        assertThat(worst.actual()).isEqualTo(bars.get(1).close());
        assertThat(pendingTimes()).containsExactly(bars.get(2).time());
        assertThat(ringOf(1).count).isEqualTo(1);
        assertThat(ringOf(2)).isNull();
        // a bar without points settles nothing
        assertThat(validate(bars.get(3))).isNull();
    }

    @Test
    void pointsWhoseBarCameFirstSettleAtOnce() throws Exception {
        rememberFirstForecast(3);
        assertThat(pendingTimes()).isEmpty();
        assertThat(harness.side(PredictionTracker.VALIDATIONS))
                .extracting(Validation::horizonBars)
                .containsExactly(1, 2);
        assertThat(ringOf(1).count).isEqualTo(1);
        assertThat(ringOf(2).count).isEqualTo(1);
    }

    /** Publishes the rolling accuracy with a forecast as of bar {@code index}. */
    private Accuracy publishAccuracyAsOf(int index) throws Exception {
        Prediction prediction =
                forecast(
                                SETTINGS,
                                result(SYMBOL, bars.get(index).time(), 1, 100, 0f, 0f),
                                ring(bars.subList(0, index + 1)))
                        .prediction();
        Accuracy[] overall = new Accuracy[1];
        harness.run(
                SYMBOL,
                (points, out, timers) ->
                        overall[0] =
                                points.publishAccuracy(
                                        prediction, STEPS, points.ringsOf(STEPS), out));
        return overall[0];
    }

    @Test
    void publishesTheRollingAccuracyOfTheSettledPointsPerBucketAndOverAll() throws Exception {
        rememberFirstForecast(3);
        Accuracy overall = publishAccuracyAsOf(2);

        assertThat(harness.side(PredictionTracker.ACCURACY))
                .extracting(Accuracy::horizon)
                .containsExactly("1h", Accuracy.ALL);
        assertThat(overall.horizon()).isEqualTo(Accuracy.ALL);
        assertThat(overall.points()).isEqualTo(2);
    }

    @Test
    void theRollingAccuracyLeavesOutPointsSettledByLaterBars() throws Exception {
        rememberFirstForecast(3);
        assertThat(publishAccuracyAsOf(0)).isNull();
        assertThat(harness.side(PredictionTracker.ACCURACY)).isEmpty();
    }

    @Test
    void dropsThePointsOfBarsThatNeverCameWithADataGapAlert() throws Exception {
        rememberFirstForecast(1);
        harness.run(
                SYMBOL,
                (points, out, timers) ->
                        points.dropMissed(SYMBOL, bars.get(0).time(), bars.get(4).time(), out));

        assertThat(pendingTimes()).isEmpty();
        assertThat(harness.side(PredictionTracker.ALERTS))
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.category()).isEqualTo(Alert.DATA_GAP);
                            assertThat(alert.message())
                                    .startsWith("3 bars missing on the 24x7 calendar");
                        });
    }

    @Test
    void dropsAPointOnlyOnceItsBarIsTheGraceOverdue() throws Exception {
        rememberFirstForecast(1);
        long lastDue = bars.get(2).time() + BAR + PointBook.PENDING_GRACE_MILLIS;

        harness.run(SYMBOL, (points, out, timers) -> points.dropOverdue(lastDue - 1));
        assertThat(pendingTimes()).containsExactly(bars.get(2).time());
        harness.run(SYMBOL, (points, out, timers) -> points.dropOverdue(lastDue));
        assertThat(pendingTimes()).isEmpty();
    }

    @Test
    void clearForgetsThePointsAndTheRings() throws Exception {
        rememberFirstForecast(2);
        assertThat(harness.stateEntries()).isPositive();
        harness.run(SYMBOL, (points, out, timers) -> points.clear());
        assertThat(harness.stateEntries()).isZero();
    }
}
