package io.barcast.functions.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.ForecastReason;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.confidence.BarWindow;
import io.barcast.core.confidence.ConfidenceFactor;
import io.barcast.core.confidence.ConfidenceScorer;
import io.barcast.core.confidence.TrackRecord;
import io.barcast.core.forecast.UncertaintyBand;
import io.barcast.core.testing.RealBars;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forecast of one model output, from what it is handed only. */
class ForecastAssemblerTest {

    private static final long BAR = 900_000;
    private static final int[] STEPS = {1, 2};

    private final ForecastAssembler assembler =
            new ForecastAssembler(
                    new TrackerSettings(
                            SymbolCalendars.defaults(),
                            Duration.ofMinutes(15),
                            7,
                            0.8,
                            5,
                            50,
                            ConfidenceScorer.withDefaults(),
                            2.0,
                            0.6,
                            false,
                            Duration.ofDays(2),
                            MonitorSettings.defaults()));

    private final BarWindow recent = BarWindow.of(RealBars.eth15m().subList(0, 96));
    private final long asOf = recent.times()[95];
    private final double lastClose = recent.close()[95];

    private InferenceResult result(String reason) {
        InferenceRequest request =
                new InferenceRequest(
                        RealBars.ETH_SYMBOL,
                        asOf,
                        reason,
                        lastClose,
                        "default",
                        "1",
                        new float[0],
                        5,
                        1);
        InferenceResult.ModelFacts facts =
                new InferenceResult.ModelFacts(
                        "default", "tiny", "1", STEPS, new double[0], 0L, TrackRecord.NONE);
        return InferenceResult.success(
                request, facts, new float[] {0.01f, 0.02f}, new float[0], 3, 10);
    }

    private ForecastAssembler.Assembled first(InferenceResult result) {
        return assembler.assemble(
                result, recent, ForecastAssembler.PastForecasts.NONE, Duration.ZERO);
    }

    /** A ring of step 1 whose points all settled {@code residual} above the forecast. */
    private ResidualRing ringOf(double residual, int points) {
        ResidualRing ring = ResidualRing.create(60);
        for (int i = 0; i < points; i++) {
            long pointAsOf = asOf - (points + 1 - i) * BAR;
            ring.settle(pointAsOf, i, pointAsOf + BAR, 100, 100, 100 * Math.exp(residual), true);
        }
        return ring;
    }

    @Test
    void aFirstForecastStandsOnTheModelOutputAndTheRecentBarsAlone() {
        ForecastAssembler.Assembled assembled = first(result(ForecastReason.NEW_BAR.label()));
        Prediction p = assembled.prediction();

        assertThat(p.times()).hasSize(672);
        assertThat(p.times()[0]).isEqualTo(asOf + BAR);
        assertThat(p.prices()[0]).isCloseTo(lastClose * Math.exp(0.01f), offset(1e-9));
        assertThat(p.prices()[1]).isCloseTo(lastClose * Math.exp(0.02f), offset(1e-9));
        assertThat(p.bandMethod()).isEqualTo(UncertaintyBand.VOLATILITY);
        assertThat(assembled.volatility()).isEqualTo(BarRing.volatility(recent)).isPositive();
        assertThat(assembled.bias()).containsExactly(0, 0);
        assertThat(p.confidence()).isBetween(0.0, 1.0);
        assertThat(p.confidenceDecay()).isEqualTo(1.0);
        assertThat(p.batchSize()).isEqualTo(3);
    }

    @Test
    void withoutItsBarsAForecastHasOnlyItsLastCloseSoNoVolatility() {
        ForecastAssembler.Assembled assembled =
                assembler.assemble(
                        result(ForecastReason.NEW_BAR.label()),
                        null,
                        ForecastAssembler.PastForecasts.NONE,
                        Duration.ZERO);
        assertThat(assembled.volatility()).isZero();
        assertThat(assembled.prediction().lower()).containsExactly(assembled.prediction().prices());
    }

    @Test
    void aRevisionKeepsItsBarsNewBarIdAndOtherReasonsHaveTheirOwn() {
        String newBar = first(result(ForecastReason.NEW_BAR.label())).prediction().id();
        Prediction revision = first(result(ForecastReason.REVISION.label())).prediction();
        Prediction update = first(result(ForecastReason.MODEL_UPDATE.label())).prediction();

        assertThat(revision.id()).isEqualTo(newBar);
        assertThat(revision.reason()).isEqualTo(ForecastReason.REVISION.label());
        assertThat(update.id()).isNotEqualTo(newBar);
    }

    @Test
    void thePreviousForecastAndTheFeedDelayMoveOnlyStabilityAndDecay() {
        Prediction alone = first(result(ForecastReason.NEW_BAR.label())).prediction();
        Prediction followed =
                assembler
                        .assemble(
                                result(ForecastReason.NEW_BAR.label()),
                                recent,
                                new ForecastAssembler.PastForecasts(
                                        Map.of(),
                                        new long[] {asOf + BAR, asOf + 2 * BAR},
                                        new double[] {lastClose * 0.9, lastClose * 0.8}),
                                Duration.ofHours(2))
                        .prediction();

        assertThat(followed.prices()).containsExactly(alone.prices());
        assertThat(followed.lower()).containsExactly(alone.lower());
        int stability = ConfidenceFactor.PREDICTION_STABILITY.ordinal();
        assertThat(followed.confidenceFactors()[stability])
                .isLessThan(alone.confidenceFactors()[stability]);
        assertThat(followed.confidenceDecay()).isLessThan(alone.confidenceDecay());
    }

    @Test
    void residualsMakeTheBandConformalAndARepredictionTakesOutTheirMedian() {
        double residual = 0.004;
        ForecastAssembler.PastForecasts past =
                new ForecastAssembler.PastForecasts(
                        Map.of(1, ringOf(residual, ForecastAssembler.MIN_BIAS_POINTS)), null, null);

        ForecastAssembler.Assembled newBar =
                assembler.assemble(
                        result(ForecastReason.NEW_BAR.label()), recent, past, Duration.ZERO);
        ForecastAssembler.Assembled repredicted =
                assembler.assemble(
                        result(ForecastReason.VALIDATION_DRIFT.label()),
                        recent,
                        past,
                        Duration.ZERO);

        assertThat(newBar.prediction().bandMethod()).isEqualTo(UncertaintyBand.CONFORMAL_PARTIAL);
        assertThat(newBar.bias()).containsExactly(0, 0);
        assertThat(repredicted.bias()[0]).isCloseTo(residual, offset(1e-12));
        assertThat(repredicted.prediction().prices()[0])
                .isCloseTo(lastClose * Math.exp(0.01f + residual), offset(1e-6 * lastClose));
        // the band stays where the actual prices fell: the residuals move with the path
        assertThat(repredicted.prediction().lower()[0])
                .isCloseTo(newBar.prediction().lower()[0], offset(1e-6 * lastClose));
    }
}
