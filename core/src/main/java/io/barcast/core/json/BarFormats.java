package io.barcast.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads bars from the text formats barcast accepts: JSON objects ({@code symbol, t, o, h, l, c, v}
 * and optional {@code vw, n}), CSV with a header naming those columns, and Polygon aggregates
 * responses ({@code {"ticker": ..., "results": [...]}}). Every failure is an {@link
 * IllegalArgumentException} whose message says what is wrong, for the dead letters.
 */
public final class BarFormats {

    private final ObjectMapper mapper;

    public BarFormats(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One bar from a JSON object. */
    public Bar parseJson(String json) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return fromNode(node, null);
    }

    /** All bars of a Polygon aggregates response; the symbol is the response's {@code ticker}. */
    public List<Bar> parsePolygonAggregates(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        String ticker = text(root, "ticker");
        if (ticker == null) {
            throw new IllegalArgumentException("aggregates response has no ticker");
        }
        JsonNode results = root.get("results");
        List<Bar> bars = new ArrayList<>();
        if (results == null || results.isNull()) {
            return bars;
        }
        if (!results.isArray()) {
            throw new IllegalArgumentException("aggregates response: results is not an array");
        }
        for (JsonNode result : results) {
            bars.add(fromNode(result, ticker));
        }
        return bars;
    }

    /**
     * One entry of a Polygon aggregates response's {@code results} ({@code t, o, h, l, c, v} and
     * optional {@code vw, n}), for {@code ticker}.
     */
    public Bar parsePolygonResult(JsonNode result, String ticker) {
        if (result == null || !result.isObject()) {
            throw new IllegalArgumentException("aggregates result is not a JSON object");
        }
        return fromNode(result, ticker);
    }

    /** Whether a JSON document looks like a Polygon aggregates response rather than one bar. */
    public static boolean isPolygonAggregates(String json) {
        return json.contains("\"results\"") && json.contains("\"ticker\"");
    }

    /** The column positions of a CSV header; throws if a required column is missing. */
    public static Map<String, Integer> csvHeader(String headerLine) {
        Map<String, Integer> columns = new HashMap<>();
        String[] names = headerLine.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            columns.put(names[i].trim().toLowerCase(Locale.ROOT), i);
        }
        for (String required : List.of("symbol", "t", "o", "h", "l", "c", "v")) {
            if (!columns.containsKey(required)) {
                throw new IllegalArgumentException(
                        "CSV header lacks column '"
                                + required
                                + "' (expected symbol,t,o,h,l,c,v[,vw,n]): "
                                + headerLine);
            }
        }
        return columns;
    }

    /** One bar from a CSV line, given the header's column positions. */
    public static Bar parseCsv(Map<String, Integer> columns, String line) {
        String[] cells = line.split(",", -1);
        if (cells.length < columns.size()) {
            throw new IllegalArgumentException(
                    "CSV line has " + cells.length + " cells, header has " + columns.size());
        }
        String symbol = cells[columns.get("symbol")].trim();
        long time = parseTime(cells[columns.get("t")].trim());
        Integer vw = columns.get("vw");
        Integer n = columns.get("n");
        return new Bar(
                requireSymbol(symbol),
                time,
                number(cells[columns.get("o")], "o"),
                number(cells[columns.get("h")], "h"),
                number(cells[columns.get("l")], "l"),
                number(cells[columns.get("c")], "c"),
                number(cells[columns.get("v")], "v"),
                vw == null || cells[vw].isBlank() ? null : number(cells[vw], "vw"),
                n == null || cells[n].isBlank() ? null : (long) number(cells[n], "n"));
    }

    /** Epoch milliseconds, an ISO-8601 instant, or an ISO date (midnight UTC). */
    public static long parseTime(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("bar time t is empty");
        }
        if (text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            return text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                    : Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "bar time t is neither epoch milliseconds nor ISO-8601: " + text);
        }
    }

    private Bar fromNode(JsonNode node, String defaultSymbol) {
        String symbol = text(node, "symbol");
        if (symbol == null) {
            symbol = text(node, "sym");
        }
        if (symbol == null) {
            symbol = defaultSymbol;
        }
        JsonNode t = node.get("t");
        if (t == null || t.isNull()) {
            throw new IllegalArgumentException("bar has no time t");
        }
        long time = t.isNumber() ? t.asLong() : parseTime(t.asText());
        JsonNode vw = node.get("vw");
        JsonNode n = node.get("n");
        return new Bar(
                requireSymbol(symbol),
                time,
                number(node, "o"),
                number(node, "h"),
                number(node, "l"),
                number(node, "c"),
                number(node, "v"),
                vw == null || vw.isNull() ? null : number(node, "vw"),
                n == null || n.isNull() ? null : (long) number(node, "n"));
    }

    private static String requireSymbol(String symbol) {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("bar has no symbol");
        }
        return symbol.trim();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("bar has no " + field);
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        return number(value.asText(), field);
    }

    private static double number(String text, String field) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is not a number: '" + text.trim() + "'");
        }
    }
}
