package io.barcast.api.query;

import java.time.Instant;
import java.util.UUID;

/**
 * A trade suggested from a forecast, as the recommendations table holds it: enter at the close of
 * the entry bar, leave at the target, at the stop, or at the close of the exit bar.
 */
public record RecommendationRow(
        UUID recommendationId,
        UUID predictionId,
        String symbol,
        Instant asOf,
        String side,
        Instant entryTime,
        double entryPrice,
        Instant exitTime,
        double targetPrice,
        double stopLoss,
        double expectedReturnPercent,
        double riskReward,
        double confidence,
        String modelVersion,
        String status,
        UUID supersededBy,
        Instant createdAt,
        Instant updatedAt) {}
