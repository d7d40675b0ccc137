package io.barcast.api.http;

import io.barcast.core.SafeText;
import io.barcast.core.Symbols;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's query parameters, checked: each getter returns a valid value or throws a 400 {@link
 * ApiProblem} naming the parameter and what is wrong with it. A parameter the route does not know
 * is an error too, so a typo ({@code limt=5}) is not silently ignored.
 */
public final class Params {

    /** Times outside these years are typos, not queries. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    private static final int QUOTED = 40;

    private final Context ctx;

    private Params(Context ctx) {
        this.ctx = ctx;
    }

    /** The parameters of {@code ctx}, which may only be among {@code known}. */
    public static Params of(Context ctx, String... known) {
        Set<String> allowed = Set.of(known);
        for (Map.Entry<String, List<String>> entry : ctx.queryParamMap().entrySet()) {
            String name = entry.getKey();
            if (!allowed.contains(name)) {
                throw ApiProblem.badParameter(
                        quote(name),
                        "unknown parameter '"
                                + quote(name)
                                + "'"
                                + (known.length == 0
                                        ? "; this endpoint takes none"
                                        : "; this endpoint takes " + String.join(", ", known)));
            }
            if (entry.getValue().size() > 1) {
                throw ApiProblem.badParameter(name, name + " is given more than once");
            }
        }
        return new Params(ctx);
    }

    /** The raw value, or null when absent or empty. */
    public String text(String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** A symbol in a path parameter, normalized (upper case). */
    public static String pathSymbol(Context ctx, String name) {
        return symbolOf(name, ctx.pathParam(name));
    }

    /** A symbol; null when absent. */
    public String symbol(String name) {
        String raw = text(name);
        return raw == null ? null : symbolOf(name, raw);
    }

    /** Comma-separated symbols, each checked, duplicates dropped; empty when absent. */
    public List<String> symbols(String name, int max) {
        String raw = text(name);
        if (raw == null) {
            return List.of();
        }
        String[] parts = raw.split(",", -1);
        if (parts.length > max) {
            throw ApiProblem.badParameter(
                    name, name + " lists " + parts.length + " symbols; at most " + max);
        }
        Set<String> symbols = new LinkedHashSet<>();
        for (String part : parts) {
            symbols.add(symbolOf(name, part));
        }
        return new ArrayList<>(symbols);
    }

    /** {@code raw} as a symbol, normalized; a 400 naming {@code name} when it is none. */
    /**
     * A body's list of symbols ({@code name}), each checked and named by its index ({@code
     * symbols[3]}), duplicates dropped; 1 to {@code max} of them.
     */
    public static List<String> symbolList(String name, List<String> raw, int max) {
        if (raw == null) {
            throw ApiProblem.badParameter(
                    name, name + " is missing: give 1 to " + max + " symbols");
        }
        if (raw.isEmpty() || raw.size() > max) {
            throw ApiProblem.badParameter(
                    name, name + " lists " + raw.size() + " symbols; give 1 to " + max);
        }
        Set<String> symbols = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            symbols.add(symbolOf(name + "[" + i + "]", raw.get(i)));
        }
        return new ArrayList<>(symbols);
    }

    public static String symbolOf(String name, String raw) {
        if (raw != null && hasControlCharacter(raw)) {
            // Symbols trims them away with the spaces; a client that sends a NUL sends garbage
            throw ApiProblem.badParameter(
                    name, name + ": symbol '" + quote(raw) + "' holds a control character");
        }
        String symbol = Symbols.normalize(raw);
        if (symbol == null) {
            throw ApiProblem.badParameter(name, name + ": " + Symbols.problemOf(raw));
        }
        return symbol;
    }

    private static boolean hasControlCharacter(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (Character.isISOControl(raw.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * An instant ({@code 2026-01-05T14:30:00Z}) or a date ({@code 2026-01-05}, its start in UTC).
     */
    public Instant instant(String name) {
        return instantOf(name, text(name));
    }

    /**
     * {@code raw} (a body field's text, say) read as {@link #instant} reads a parameter; null when
     * it is null or empty.
     */
    public static Instant instantOf(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Instant value;
        try {
            value =
                    raw.length() == 10
                            ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant()
                            : Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badParameter(
                    name,
                    name
                            + " '"
                            + quote(raw)
                            + "' is not a time: use ISO-8601, e.g. 2026-01-05T14:30:00Z or"
                            + " 2026-01-05");
        }
        if (value.isBefore(EARLIEST) || !value.isBefore(LATEST)) {
            throw ApiProblem.badParameter(
                    name, name + " '" + quote(raw) + "' is outside the years 1970 to 2099");
        }
        return value;
    }

    /** Throws a 400 naming {@code to} when both bounds of a period are given and it is empty. */
    public static void requireOrdered(Instant from, Instant to) {
        if (from != null && to != null && !to.isAfter(from)) {
            throw ApiProblem.badParameter(
                    "to", "to (" + to + ") must be after from (" + from + ")");
        }
    }

    /** An integer in [min, max]; {@code fallback} when absent. */
    public int integer(String name, int fallback, int min, int max) {
        String raw = text(name);
        if (raw == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiProblem.badParameter(
                    name, name + " '" + quote(raw) + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw ApiProblem.badParameter(
                    name, name + " is " + value + "; it must be from " + min + " to " + max);
        }
        return value;
    }

    /** A number in [min, max]; null when absent. */
    public Double number(String name, double min, double max) {
        String raw = text(name);
        if (raw == null) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw ApiProblem.badParameter(name, name + " '" + quote(raw) + "' is not a number");
        }
        if (!(value >= min && value <= max)) {
            throw ApiProblem.badParameter(
                    name, name + " is " + raw + "; it must be from " + min + " to " + max);
        }
        return value;
    }

    /** One of {@code choices}; null when absent. */
    public String choice(String name, Set<String> choices) {
        String raw = text(name);
        if (raw == null) {
            return null;
        }
        if (!choices.contains(raw)) {
            throw ApiProblem.badParameter(
                    name,
                    name
                            + " '"
                            + quote(raw)
                            + "' is not one of "
                            + String.join(", ", choices.stream().sorted().toList()));
        }
        return raw;
    }

    /** A paging cursor from an earlier page's {@code next_cursor}; null when absent. */
    public Cursor cursor(String name) {
        String raw = text(name);
        return raw == null ? null : Cursor.decode(name, raw);
    }

    /** A paging cursor of a listing ordered by a time unique within it; null when absent. */
    public TimeCursor timeCursor(String name) {
        String raw = text(name);
        return raw == null ? null : TimeCursor.decode(name, raw);
    }

    /** A paging cursor of a listing ordered by symbol; null when absent. */
    public SymbolCursor symbolCursor(String name) {
        String raw = text(name);
        return raw == null ? null : SymbolCursor.decode(name, raw);
    }

    /** A client's text, safe to put in a message: cleaned and cut to 40 characters. */
    public static String quote(String raw) {
        String clean = SafeText.clean(raw);
        return clean.length() <= QUOTED ? clean : clean.substring(0, QUOTED - 1) + "…";
    }
}
