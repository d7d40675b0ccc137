package io.barcast.connectors.polygon.reader;

import io.barcast.core.Bar;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Rolls one symbol's minute aggregates up to 15-minute bars in event time. A minute sent again (a
 * revision) replaces the first. A bar is handed out once it is final, so revisions that arrive
 * within the grace period are part of it.
 */
final class MinuteRollup {

    private final String symbol;
    private final NavigableMap<Long, NavigableMap<Long, MinuteBar>> buckets = new TreeMap<>();

    MinuteRollup(String symbol) {
        this.symbol = symbol;
    }

    static long bucketOf(long time) {
        return Math.floorDiv(time, Bar.INTERVAL_MILLIS) * Bar.INTERVAL_MILLIS;
    }

    void add(MinuteBar minute) {
        buckets.computeIfAbsent(bucketOf(minute.start()), b -> new TreeMap<>())
                .put(minute.start(), minute);
    }

    /** The oldest bar whose window ended at or before {@code finalBefore}, or null. */
    Bar pollFinal(long finalBefore) {
        Map.Entry<Long, NavigableMap<Long, MinuteBar>> first = buckets.firstEntry();
        if (first == null || first.getKey() + Bar.INTERVAL_MILLIS > finalBefore) {
            return null;
        }
        buckets.pollFirstEntry();
        return roll(symbol, first.getKey(), first.getValue());
    }

    /** Forgets every unfinished bar (after a disconnect REST fills them). */
    void clear() {
        buckets.clear();
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }

    /** Bars begun and not yet handed out. */
    int size() {
        return buckets.size();
    }

    /** The bar of the minutes of one window, as Polygon's own 15-minute aggregates compute it. */
    static Bar roll(String symbol, long start, NavigableMap<Long, MinuteBar> minutes) {
        double high = Double.NEGATIVE_INFINITY;
        double low = Double.POSITIVE_INFINITY;
        double volume = 0;
        double value = 0;
        double vwapSum = 0;
        double trades = 0;
        boolean vwapKnown = true;
        boolean tradesKnown = true;
        for (MinuteBar minute : minutes.values()) {
            high = Math.max(high, minute.high());
            low = Math.min(low, minute.low());
            volume += minute.volume();
            vwapKnown &= !Double.isNaN(minute.vwap());
            tradesKnown &= !Double.isNaN(minute.trades());
            value += minute.vwap() * minute.volume();
            vwapSum += minute.vwap();
            trades += minute.trades();
        }
        Double vwap = null;
        if (vwapKnown) {
            vwap = volume > 0 ? value / volume : vwapSum / minutes.size();
        }
        return new Bar(
                symbol,
                start,
                minutes.firstEntry().getValue().open(),
                high,
                low,
                minutes.lastEntry().getValue().close(),
                volume,
                vwap,
                tradesKnown ? Math.round(trades) : null);
    }
}
