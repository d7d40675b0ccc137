package io.barcast.api.query;

import java.time.Instant;
import java.util.UUID;

/**
 * How one recommended trade turned out, as the trade_outcomes table holds it: entered at the actual
 * close of its entry bar, ended at its target, its stop or its exit bar's close, or missed.
 */
public record TradeOutcomeRow(
        UUID recommendationId,
        UUID predictionId,
        String symbol,
        String side,
        Instant entryTime,
        double entryPrice,
        double targetPrice,
        double stopLoss,
        String outcome,
        Instant exitTime,
        double exitPrice,
        double realizedReturnPercent,
        int barsHeld,
        Instant writtenAt) {}
