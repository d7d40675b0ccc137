package io.barcast.api.query;

import java.time.Instant;

/**
 * A 15-minute bar as the bars table holds it: the latest revision the job wrote of the bar that
 * starts at {@code barTime}. {@code vwap} and {@code trades} are null when the feed gave none.
 */
public record BarRow(
        String symbol,
        Instant barTime,
        double open,
        double high,
        double low,
        double close,
        double volume,
        Double vwap,
        Long trades,
        Instant updatedAt) {}
