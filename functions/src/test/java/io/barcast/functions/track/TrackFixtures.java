package io.barcast.functions.track;

import io.barcast.core.Bar;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.confidence.ConfidenceScorer;
import io.barcast.core.confidence.TrackRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Settings, results and forecasts for the tests of the tracker's parts. */
final class TrackFixtures {

    static final long BAR = 900_000;
    static final long CRYPTO_START = Instant.parse("2026-03-16T00:00:00Z").toEpochMilli();
    static final Duration TTL = Duration.ofDays(2);

    private TrackFixtures() {}

    /** 15-minute bars, a week's horizon, 50 residuals kept per step. */
    static TrackerSettings settings(
            int minResiduals, double minProfit, double minConfidence, MonitorSettings monitor) {
        return new TrackerSettings(
                SymbolCalendars.defaults(),
                Duration.ofMinutes(15),
                7,
                0.8,
                minResiduals,
                50,
                ConfidenceScorer.withDefaults(),
                minProfit,
                minConfidence,
                false,
                TTL,
                monitor);
    }

    /** A result of a model with steps 1 and 2, request number {@code sequence} of its symbol. */
    static InferenceResult result(
            String symbol, long asOf, long sequence, double lastClose, float... logReturns) {
        return numbered(symbol, asOf, "new_bar", "1", sequence, lastClose, logReturns);
    }

    /** A result of request number {@code sequence} of its symbol, made by model version v. */
    static InferenceResult numbered(
            String symbol,
            long asOf,
            String reason,
            String version,
            long sequence,
            double lastClose,
            float... logReturns) {
        InferenceRequest request =
                new InferenceRequest(
                        symbol,
                        asOf,
                        reason,
                        lastClose,
                        "default",
                        version,
                        new float[0],
                        5,
                        sequence);
        InferenceResult.ModelFacts facts =
                new InferenceResult.ModelFacts(
                        "default",
                        "tiny",
                        version,
                        new int[] {1, 2},
                        new double[0],
                        0L,
                        TrackRecord.NONE);
        return InferenceResult.success(request, facts, logReturns, new float[0], 1, 10);
    }

    /** The tracker's ring of recent bars holding {@code bars}. */
    static BarRing ring(List<Bar> bars) {
        BarRing ring = BarRing.create(ForecastAssembler.RECENT_BARS + PredictionTracker.LAG_ROOM);
        bars.forEach(ring::add);
        return ring;
    }

    /** The forecast of {@code result} from the bars up to its own, without a track record. */
    static ForecastAssembler.Assembled forecast(
            TrackerSettings settings, InferenceResult result, BarRing bars) {
        return new ForecastAssembler(settings)
                .assemble(
                        result,
                        bars.window(result.asOf(), ForecastAssembler.RECENT_BARS),
                        ForecastAssembler.PastForecasts.NONE,
                        Duration.ZERO);
    }
}
