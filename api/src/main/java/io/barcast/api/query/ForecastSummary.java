package io.barcast.api.query;

import java.time.Instant;
import java.util.UUID;

/**
 * A forecast in brief: which forecast, of what, by which model, where the price ends after a week
 * and how sure barcast is. {@code expectedReturnPercent} is {@code 100 * (finalPrice / lastClose -
 * 1)}; {@code confidence} and its level are null for forecasts written before barcast scored them.
 */
public record ForecastSummary(
        UUID predictionId,
        String symbol,
        Instant asOf,
        String reason,
        String modelFolder,
        String modelName,
        String modelVersion,
        double lastClose,
        Instant horizonEnd,
        double finalPrice,
        double expectedReturnPercent,
        Double confidence,
        String confidenceLevel,
        Instant predictedAt) {}
