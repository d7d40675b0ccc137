package io.barcast.core;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * One OHLCV bar of a symbol. {@code time} is the bar's window start in epoch milliseconds (UTC), as
 * Polygon's {@code t}; the bar covers {@code [time, time + INTERVAL)}.
 *
 * <p>On the wire (Kafka, JSON lines) a bar uses Polygon's short names: {@code symbol, t, o, h, l,
 * c, v} and the optional {@code vw} (volume-weighted average price) and {@code n} (trade count).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Bar(
        @JsonProperty("symbol") @JsonAlias({"sym", "ticker", "T"}) String symbol,
        @JsonProperty("t") long time,
        @JsonProperty("o") double open,
        @JsonProperty("h") double high,
        @JsonProperty("l") double low,
        @JsonProperty("c") double close,
        @JsonProperty("v") double volume,
        @JsonProperty("vw") Double vwap,
        @JsonProperty("n") Long trades) {

    /** The length of every bar barcast reads, forecasts from and serves models for. */
    public static final Duration INTERVAL = Duration.ofMinutes(15);

    /** {@link #INTERVAL} in milliseconds. */
    public static final long INTERVAL_MILLIS = INTERVAL.toMillis();

    /** A bar without the optional VWAP and trade count. */
    public static Bar of(
            String symbol,
            long time,
            double open,
            double high,
            double low,
            double close,
            double volume) {
        return new Bar(symbol, time, open, high, low, close, volume, null, null);
    }

    /** The same bar with another symbol. */
    public Bar withSymbol(String newSymbol) {
        return new Bar(newSymbol, time, open, high, low, close, volume, vwap, trades);
    }

    /** The same bar at another start time. */
    public Bar withTime(long newTime) {
        return new Bar(symbol, newTime, open, high, low, close, volume, vwap, trades);
    }
}
