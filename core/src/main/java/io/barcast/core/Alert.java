package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Something the people running barcast should look at, e.g. a model folder that was refused.
 *
 * @param id deterministic: the same problem gives the same id, so it is stored once
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param category what it is about, e.g. {@code model}
 * @param symbol the symbol or model folder it concerns, or empty
 * @param message a sentence a person can act on
 * @param time when it was raised (epoch ms)
 */
public record Alert(
        String id, String severity, String category, String symbol, String message, long time) {

    public static final String INFO = "info";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    /**
     * An alert whose id comes from {@code dedupKey}: raising the same problem twice gives one row.
     */
    public static Alert of(
            String severity,
            String category,
            String symbol,
            String message,
            String dedupKey,
            long time) {
        String safeSymbol = symbol == null ? "" : symbol;
        String key = String.join("\u0000", category, safeSymbol, dedupKey);
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        return new Alert(id, severity, category, safeSymbol, message, time);
    }
}
