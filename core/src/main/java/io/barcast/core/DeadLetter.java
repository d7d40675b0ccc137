package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Input or work that barcast could not use, with the reason. Nothing bad is dropped silently: it
 * lands here, in the dead-letter topic and table.
 *
 * @param id deterministic: the same rejected input always gives the same id
 * @param symbol the symbol when known, else empty
 * @param stage where it was rejected: {@code parse}, {@code sanitize}, {@code window}, {@code
 *     inference}
 * @param reason a sentence a person can act on
 * @param eventTime the bar time it concerns (epoch ms), or 0 when unknown
 * @param payload the rejected input as text (JSON for bars)
 */
public record DeadLetter(
        String id, String symbol, String stage, String reason, long eventTime, String payload) {

    public static DeadLetter of(
            String symbol, String stage, String reason, long eventTime, String payload) {
        String safeSymbol = symbol == null ? "" : symbol;
        String key =
                String.join("\u0000", safeSymbol, stage, reason, Long.toString(eventTime), payload);
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        return new DeadLetter(id, safeSymbol, stage, reason, eventTime, payload);
    }
}
