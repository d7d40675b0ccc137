package io.barcast.functions.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.DeadLetter;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.json.Json;
import io.barcast.functions.DeadLetters;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads reprediction requests from the repredictions topic: barcast's own, and people's written by
 * hand as {@code {"symbol":"AAPL"}}, optionally with {@code "cause"} (default {@code manual}) and
 * {@code "detail"}.
 *
 * <ul>
 *   <li>Input: the topic's message values (JSON text).
 *   <li>Output: each valid request, as a {@link WindowInput} for the symbol's window. A message
 *       that is not JSON, has no symbol or names an unknown cause goes to {@link DeadLetters#TAG}
 *       with the reason.
 *   <li>No state, no timers.
 * </ul>
 */
public class RepredictionParser extends ProcessFunction<String, WindowInput> {

    private transient ObjectMapper mapper;

    @Override
    public void open(OpenContext context) {
        mapper = Json.newMapper();
    }

    @Override
    public void processElement(String message, Context context, Collector<WindowInput> out) {
        JsonNode json;
        try {
            json = mapper.readTree(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reject(context, "", "not valid JSON: " + e.getOriginalMessage(), message);
            return;
        }
        if (json == null || !json.isObject()) {
            reject(context, "", "not a JSON object", message);
            return;
        }
        String symbol = json.path("symbol").asText("").trim();
        if (symbol.isEmpty()) {
            reject(context, "", "no \"symbol\": say which symbol to forecast again", message);
            return;
        }
        String cause = json.path("cause").asText(RepredictionRequest.MANUAL);
        if (!RepredictionRequest.CAUSES.contains(cause)) {
            reject(
                    context,
                    symbol,
                    "unknown cause '" + cause + "' (one of " + RepredictionRequest.CAUSES + ")",
                    message);
            return;
        }
        long requestedAt = json.path("requestedAt").asLong(System.currentTimeMillis());
        long barTime = json.path("barTime").asLong(0);
        String detail = json.path("detail").asText("");
        String id;
        if (json.hasNonNull("id")) {
            id = json.get("id").asText();
        } else if (RepredictionRequest.MANUAL.equals(cause)) {
            id = UUID.randomUUID().toString(); // two people asking are two requests
        } else {
            id = RepredictionRequest.of(symbol, cause, detail, barTime, requestedAt).id();
        }
        out.collect(
                WindowInput.of(
                        new RepredictionRequest(id, symbol, cause, detail, barTime, requestedAt)));
    }

    private static void reject(Context context, String symbol, String reason, String message) {
        context.output(
                DeadLetters.TAG,
                DeadLetter.of(symbol, "reprediction", reason, 0, message == null ? "" : message));
    }
}
