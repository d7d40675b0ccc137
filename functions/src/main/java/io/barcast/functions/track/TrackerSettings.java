package io.barcast.functions.track;

import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.confidence.ConfidenceScorer;
import java.io.Serializable;
import java.time.Duration;

/**
 * What the {@link PredictionTracker} is configured with.
 *
 * @param calendars each symbol's trading calendar
 * @param interval the bar interval
 * @param horizonDays how far a forecast looks ahead, in calendar days of the symbol's market
 * @param bandCoverage nominal coverage of the uncertainty band, in (0, 1)
 * @param minResiduals residuals a model step needs before its band is conformal
 * @param residualWindow residuals kept per model step
 * @param scorer the confidence score (weights and decay)
 * @param minProfitPercent a recommendation's smallest expected return, in percent
 * @param minConfidence a recommendation's smallest forecast confidence
 * @param liveFeed whether bars arrive live, so their delay means something (not for replays)
 * @param ttl how long a silent symbol's state is kept, in event time
 * @param monitor when to ask for repredictions and retrains, and raise alerts
 */
public record TrackerSettings(
        SymbolCalendars calendars,
        Duration interval,
        int horizonDays,
        double bandCoverage,
        int minResiduals,
        int residualWindow,
        ConfidenceScorer scorer,
        double minProfitPercent,
        double minConfidence,
        boolean liveFeed,
        Duration ttl,
        MonitorSettings monitor)
        implements Serializable {}
