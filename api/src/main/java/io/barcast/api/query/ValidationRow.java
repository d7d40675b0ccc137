package io.barcast.api.query;

import java.time.Instant;
import java.util.UUID;

/**
 * One forecast point checked against the actual bar at its time, as the validations table holds it,
 * with the horizon bucket its step falls in (the bucket of the performance figures).
 */
public record ValidationRow(
        UUID validationId,
        UUID predictionId,
        String symbol,
        Instant asOf,
        Instant targetTime,
        int horizonBars,
        String horizon,
        double lastClose,
        double predicted,
        double actual,
        double errorPercent,
        double naiveErrorPercent,
        Boolean directionRight,
        boolean insideBand,
        double bandLower,
        double bandUpper,
        Instant writtenAt) {}
