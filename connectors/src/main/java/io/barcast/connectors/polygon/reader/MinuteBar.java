package io.barcast.connectors.polygon.reader;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One minute aggregate from the WebSocket ({@code AM} for stocks, {@code XA} for crypto pairs).
 *
 * @param trades trades in the minute, {@code v / z} (volume over average trade size), or NaN when
 *     the event does not say
 */
record MinuteBar(
        String symbol,
        long start,
        long end,
        double open,
        double high,
        double low,
        double close,
        double volume,
        double vwap,
        double trades) {

    /** The minute of an {@code AM} or {@code XA} event; throws if a field is missing. */
    static MinuteBar of(JsonNode event) {
        String ev = event.path("ev").asText();
        String symbol =
                ev.equals("XA")
                        ? Channels.symbolOfPair(require(event, "pair").asText())
                        : require(event, "sym").asText();
        double volume = require(event, "v").asDouble();
        JsonNode z = event.get("z");
        double trades =
                z != null && z.isNumber() && z.asDouble() > 0 ? volume / z.asDouble() : Double.NaN;
        return new MinuteBar(
                symbol,
                require(event, "s").asLong(),
                require(event, "e").asLong(),
                require(event, "o").asDouble(),
                require(event, "h").asDouble(),
                require(event, "l").asDouble(),
                require(event, "c").asDouble(),
                volume,
                event.hasNonNull("vw") ? event.get("vw").asDouble() : Double.NaN,
                trades);
    }

    private static JsonNode require(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("minute aggregate has no " + field);
        }
        if (!field.equals("sym") && !field.equals("pair") && !value.isNumber()) {
            throw new IllegalArgumentException("minute aggregate's " + field + " is not a number");
        }
        return value;
    }
}
