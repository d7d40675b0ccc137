package io.barcast.functions.track;

import io.barcast.core.ForecastReason;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.confidence.BarWindow;
import io.barcast.core.confidence.ConfidenceInputs;
import io.barcast.core.confidence.ConfidenceScore;
import io.barcast.core.confidence.TrackRecord;
import io.barcast.core.forecast.ForecastPath;
import io.barcast.core.forecast.UncertaintyBand;
import java.time.Duration;
import java.util.Map;

/**
 * Turns one successful {@link InferenceResult} into a {@link Prediction}: the path on the symbol's
 * calendar (a reprediction's without its steps' recent bias), the uncertainty band (the model's
 * quantiles, else conformal from the residuals, else volatility) and the confidence. It reads only
 * what it is given, keeps nothing and needs no Flink, so the {@link PredictionTracker} and a
 * service forecasting bars posted to it make their forecasts by this one code path. Thread safe.
 */
public final class ForecastAssembler {

    /** Bars of history the confidence and the volatility look at: a day of a 24x7 market. */
    public static final int RECENT_BARS = 96;

    /** Residuals a model step needs before a reprediction corrects that step's bias. */
    static final int MIN_BIAS_POINTS = 10;

    private final TrackerSettings settings;

    /**
     * @param settings read for the calendars, bar interval, horizon, band (coverage, residuals
     *     needed and kept) and the confidence scorer; the trade and monitor settings play no part
     */
    public ForecastAssembler(TrackerSettings settings) {
        this.settings = settings;
    }

    /**
     * What a symbol's earlier forecasts left for the next one, as known at its bar.
     *
     * @param residuals per model step, the ring of its settled points (read only; a ring may hold
     *     points settled after the forecast's bar, which are left out); a step without one is
     *     absent
     * @param previousTimes bar times of the symbol's previous forecast at the model's steps, or
     *     null when there is none
     * @param previousPrices that forecast's prices at those times, or null
     */
    public record PastForecasts(
            Map<Integer, ResidualRing> residuals, long[] previousTimes, double[] previousPrices) {

        /** A symbol's first forecast: no residuals, no previous forecast. */
        public static final PastForecasts NONE = new PastForecasts(Map.of(), null, null);
    }

    /**
     * A forecast with what following it needs.
     *
     * @param bias per model step, the log shift taken out of a reprediction's path (zeros
     *     otherwise); its points' residuals are kept with it added back
     * @param volatility standard deviation of the recent one-bar log returns
     */
    public record Assembled(Prediction prediction, double[] bias, double volatility) {}

    /**
     * The forecast of {@code result}.
     *
     * @param result a successful result
     * @param recentBars the symbol's newest bars up to and including the result's bar, at most
     *     {@link #RECENT_BARS}, oldest first; null when they are gone (the result's close is all
     *     there is then)
     * @param past what the symbol's earlier forecasts left
     * @param feedDelay how late the result's bar arrived after it ended; zero when unknown or
     *     meaningless (a replay)
     */
    public Assembled assemble(
            InferenceResult result, BarWindow recentBars, PastForecasts past, Duration feedDelay) {
        String symbol = result.symbol();
        long asOf = result.asOf();
        MarketCalendar calendar = settings.calendars().of(symbol);
        long[] times =
                calendar.barStartsWithinDays(asOf, settings.horizonDays(), settings.interval());
        int[] steps = result.model().horizonSteps();
        Map<Integer, ResidualRing> rings = past.residuals();
        // A reprediction answers a drift: it takes out each step's recent bias (the median
        // residual), so it is a different forecast from the new-bar one of the same bar and model.
        double[] bias =
                ForecastReason.isReprediction(result.reason())
                        ? biasOf(rings, steps, asOf)
                        : new double[steps.length];
        float[] logReturns = shifted(result.logReturns(), bias, 1);
        double[] prices = ForecastPath.prices(steps, logReturns, result.lastClose(), times.length);
        BarWindow window = recentBars != null ? recentBars : lastCloseOnly(result);
        double volatility = BarRing.volatility(window);
        UncertaintyBand band = band(result, logReturns, steps, prices, volatility, rings, bias);
        long modelAge = result.model().trainedAt() == 0 ? 0 : asOf - result.model().trainedAt();
        ConfidenceScore score =
                settings.scorer()
                        .score(
                                new ConfidenceInputs(
                                        window,
                                        calendar,
                                        settings.interval(),
                                        asOf,
                                        result.lastClose(),
                                        times,
                                        prices,
                                        past.previousTimes(),
                                        past.previousPrices(),
                                        shortHorizonRecord(calendar, steps, asOf, rings),
                                        result.model().heldOut(),
                                        Duration.ofMillis(Math.max(0, modelAge)),
                                        feedDelay));
        // a revision re-forecasts under its bar's id, so the latest revision replaces the forecast
        String trigger =
                ForecastReason.REVISION.label().equals(result.reason())
                        ? ForecastReason.NEW_BAR.label()
                        : result.reason();
        Prediction prediction =
                new Prediction(
                        Prediction.idOf(
                                symbol,
                                asOf,
                                result.model().name(),
                                result.model().version(),
                                trigger),
                        symbol,
                        asOf,
                        result.reason(),
                        result.model().folder(),
                        result.model().name(),
                        result.model().version(),
                        result.lastClose(),
                        times,
                        prices,
                        band.lower(),
                        band.upper(),
                        band.method(),
                        settings.bandCoverage(),
                        score.value(),
                        score.level().label(),
                        score.factors(),
                        score.decay(),
                        result.batchSize(),
                        result.inferenceMicros(),
                        result.receivedAt(),
                        System.currentTimeMillis());
        return new Assembled(prediction, bias, volatility);
    }

    /** The window of a result whose bars have left: its own close, unmoved. */
    private static BarWindow lastCloseOnly(InferenceResult result) {
        double close = result.lastClose();
        return new BarWindow(
                new long[] {result.asOf()},
                new double[] {close},
                new double[] {close},
                new double[] {close},
                new double[] {close},
                new double[] {0});
    }

    /** Per model step, the median residual of the points settled by bars up to {@code asOf}. */
    private double[] biasOf(Map<Integer, ResidualRing> rings, int[] steps, long asOf) {
        double[] bias = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            ResidualRing ring = rings.get(steps[i]);
            bias[i] =
                    ring == null
                            ? 0
                            : ring.medianResidual(asOf, settings.residualWindow(), MIN_BIAS_POINTS);
        }
        return bias;
    }

    /** {@code values} (step-major, {@code perStep} values a step) plus each step's bias. */
    private static float[] shifted(float[] values, double[] bias, int perStep) {
        float[] out = values.clone();
        for (int i = 0; i < out.length && perStep > 0; i++) {
            out[i] = (float) (out[i] + bias[i / perStep]);
        }
        return out;
    }

    /**
     * The symbol's own record at horizons up to a trading day: its points at those model steps
     * settled by bars up to {@code asOf}.
     */
    private TrackRecord shortHorizonRecord(
            MarketCalendar calendar, int[] steps, long asOf, Map<Integer, ResidualRing> rings) {
        int day = TrackRecord.stepsInATradingDay(calendar.name());
        ResidualRing.Tally tally = new ResidualRing.Tally();
        for (int step : steps) {
            ResidualRing ring = step <= day ? rings.get(step) : null;
            if (ring != null) {
                tally.add(ring, asOf, settings.residualWindow());
            }
        }
        return tally.toTrackRecord();
    }

    /**
     * The band around {@code prices}. A reprediction's path is shifted by {@code bias} per step;
     * its residuals shift with it, so a conformal band stays where the actual prices fell.
     */
    private UncertaintyBand band(
            InferenceResult result,
            float[] logReturns,
            int[] steps,
            double[] prices,
            double volatility,
            Map<Integer, ResidualRing> rings,
            double[] bias) {
        double coverage = settings.bandCoverage();
        double[] levels = result.model().quantiles();
        if (levels.length > 0) {
            double[] point = new double[steps.length];
            for (int i = 0; i < steps.length; i++) {
                point[i] = logReturns[i];
            }
            UncertaintyBand fromModel =
                    UncertaintyBand.fromQuantiles(
                            steps,
                            levels,
                            shifted(result.quantileLogReturns(), bias, levels.length),
                            point,
                            coverage,
                            prices);
            if (fromModel != null) {
                return fromModel;
            }
        }
        double[][] perStep = new double[steps.length][];
        for (int i = 0; i < steps.length; i++) {
            ResidualRing ring = rings.get(steps[i]);
            perStep[i] =
                    ring == null
                            ? null
                            : ring.residualsUpTo(result.asOf(), settings.residualWindow());
            for (int j = 0; perStep[i] != null && j < perStep[i].length; j++) {
                perStep[i][j] -= bias[i];
            }
        }
        return UncertaintyBand.conformal(
                steps, perStep, settings.minResiduals(), coverage, volatility, prices);
    }
}
