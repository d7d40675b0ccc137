package io.barcast.functions.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.DeadLetter;
import io.barcast.core.ForecastReason;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.SafeText;
import io.barcast.core.Symbols;
import io.barcast.core.TopicMessage;
import io.barcast.core.json.Json;
import io.barcast.functions.DeadLetters;
import java.time.Instant;
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
 *   <li>Input: the topic's messages, as text or as why they have none.
 *   <li>Output: each valid request, as a {@link WindowInput} for the symbol's window, its symbol in
 *       upper case and its detail cleaned and cut to {@value #MAX_DETAIL_CHARS} characters. A
 *       tombstone, a message that is not UTF-8 or not JSON, a symbol that breaks the symbol rule,
 *       an unknown cause, an id that is not a UUID or a time outside 1970-2100 goes to {@link
 *       DeadLetters#TAG} with the reason.
 *   <li>No state, no timers.
 * </ul>
 */
public class RepredictionParser extends ProcessFunction<TopicMessage, WindowInput> {

    public static final int MAX_DETAIL_CHARS = 1_000;

    private static final long LATEST = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private transient ObjectMapper mapper;

    @Override
    public void open(OpenContext context) {
        mapper = Json.newMapper();
    }

    @Override
    public void processElement(TopicMessage message, Context context, Collector<WindowInput> out) {
        if (!message.isReadable()) {
            reject(context, message, "", message.problem(), message.payload());
            return;
        }
        String text = message.text();
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reject(context, message, "", "not valid JSON: " + e.getOriginalMessage(), text);
            return;
        }
        if (json == null || !json.isObject()) {
            reject(context, message, "", "not a JSON object", text);
            return;
        }
        String raw = json.path("symbol").asText("");
        if (raw.isBlank()) {
            reject(context, message, "", "no \"symbol\": say which symbol to forecast again", text);
            return;
        }
        String symbol = Symbols.normalize(raw);
        if (symbol == null) {
            reject(context, message, raw, Symbols.problemOf(raw), text);
            return;
        }
        String cause = json.path("cause").asText(ForecastReason.MANUAL.label());
        if (!ForecastReason.causes().contains(cause)) {
            reject(
                    context,
                    message,
                    symbol,
                    "unknown cause '"
                            + SafeText.cap(cause, 40)
                            + "' (one of "
                            + ForecastReason.causes()
                            + ")",
                    text);
            return;
        }
        String problem = timeProblem(json, "requestedAt");
        if (problem == null) {
            problem = timeProblem(json, "barTime");
        }
        if (problem == null && json.hasNonNull("id") && !isUuid(json.get("id").asText())) {
            problem = "id '" + SafeText.cap(json.get("id").asText(), 60) + "' is not a UUID";
        }
        if (problem != null) {
            reject(context, message, symbol, problem, text);
            return;
        }
        long requestedAt = json.path("requestedAt").asLong(System.currentTimeMillis());
        long barTime = json.path("barTime").asLong(0);
        String detail = SafeText.cap(json.path("detail").asText(""), MAX_DETAIL_CHARS);
        String id;
        if (json.hasNonNull("id")) {
            id = UUID.fromString(json.get("id").asText()).toString();
        } else if (ForecastReason.MANUAL.label().equals(cause)) {
            id = UUID.randomUUID().toString(); // two people asking are two requests
        } else {
            id = RepredictionRequest.of(symbol, cause, detail, barTime, requestedAt).id();
        }
        out.collect(
                WindowInput.of(
                        new RepredictionRequest(id, symbol, cause, detail, barTime, requestedAt)));
    }

    /** Why a time field is no epoch-millisecond time between 1970 and 2100, or null. */
    private static String timeProblem(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || value.asLong() < 0 || value.asLong() >= LATEST) {
            return "\""
                    + field
                    + "\" is not a time in epoch milliseconds between 1970 and 2100: "
                    + SafeText.cap(value.toString(), 40);
        }
        return null;
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void reject(
            Context context, TopicMessage message, String symbol, String reason, String text) {
        context.output(
                DeadLetters.TAG,
                DeadLetter.of(
                        symbol,
                        "reprediction",
                        reason + " (" + message.origin() + ")",
                        0,
                        text == null ? "" : text));
    }
}
