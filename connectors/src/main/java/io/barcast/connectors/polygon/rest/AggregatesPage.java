package io.barcast.connectors.polygon.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.BarFormats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One page of a Polygon aggregates response: its results, each a bar or, when an entry cannot be
 * read, the entry's text with the reason, and the {@code next_url} when more pages follow.
 */
public record AggregatesPage(List<IncomingBar> results, String nextUrl) {

    private static final Set<String> GOOD_STATUS = Set.of("OK", "DELAYED");

    /**
     * Reads a 200 response's body for {@code ticker}. A body that is not an aggregates response at
     * all throws {@link IllegalArgumentException} saying why.
     */
    public static AggregatesPage parse(
            ObjectMapper mapper, String body, String ticker, String origin) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "response is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("response is not a JSON object");
        }
        String status = root.path("status").asText("");
        if (!GOOD_STATUS.contains(status)) {
            throw new IllegalArgumentException(
                    "response status is '"
                            + status
                            + "'"
                            + (root.hasNonNull("error") ? ": " + root.get("error").asText() : ""));
        }
        JsonNode results = root.get("results");
        List<IncomingBar> bars = new ArrayList<>();
        if (results != null && !results.isNull()) {
            if (!results.isArray()) {
                throw new IllegalArgumentException("response's results is not an array");
            }
            BarFormats formats = new BarFormats(mapper);
            for (JsonNode result : results) {
                try {
                    Bar bar = formats.parsePolygonResult(result, ticker);
                    bars.add(IncomingBar.parsed(origin, bar));
                } catch (IllegalArgumentException e) {
                    bars.add(IncomingBar.unparsable(origin, result.toString(), e.getMessage()));
                }
            }
        }
        String next = root.hasNonNull("next_url") ? root.get("next_url").asText() : null;
        return new AggregatesPage(bars, next == null || next.isBlank() ? null : next);
    }
}
