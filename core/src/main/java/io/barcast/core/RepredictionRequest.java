package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A request to forecast a symbol again now, outside its new-bar rhythm. barcast asks for one itself
 * when a forecast drifts from the actual bars; a person can ask by writing this record as JSON to
 * the repredictions topic, e.g. {@code {"symbol":"AAPL","cause":"manual","detail":"after the
 * earnings call"}}. The symbol's window answers with a forecast as of its newest bar whose reason
 * is the cause; a symbol is repredicted at most once per bar.
 *
 * @param id deterministic for barcast's own requests (symbol, cause and bar)
 * @param symbol the symbol to forecast again
 * @param cause the label of a reprediction {@link ForecastReason}: {@code validation_drift}, {@code
 *     accuracy_drop} or {@code manual}
 * @param detail what was seen, for people (e.g. which step missed by how much)
 * @param barTime start (epoch ms) of the bar whose arrival showed the drift; 0 for a manual request
 * @param requestedAt wall-clock time (epoch ms) the request was made
 */
public record RepredictionRequest(
        String id, String symbol, String cause, String detail, long barTime, long requestedAt) {

    /** A request of barcast's own, with an id that a replay or a recovery gives again. */
    public static RepredictionRequest of(
            String symbol, String cause, String detail, long barTime, long requestedAt) {
        String key = String.join("\u0000", symbol, cause, Long.toString(barTime));
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        return new RepredictionRequest(id, symbol, cause, detail, barTime, requestedAt);
    }

    /** A request of barcast's own, with an id that a replay or a recovery gives again. */
    public static RepredictionRequest of(
            String symbol, ForecastReason cause, String detail, long barTime, long requestedAt) {
        return of(symbol, cause.label(), detail, barTime, requestedAt);
    }
}
