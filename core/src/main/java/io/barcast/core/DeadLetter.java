package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Input or work that barcast could not use, with the reason. Nothing bad is dropped silently: it
 * lands here, in the dead-letter topic and table.
 *
 * <p>Every field is made safe for every sink when the dead letter is made: NUL characters and
 * unpaired surrogates become U+FFFD, the reason is capped at {@value #MAX_REASON_CHARS} and the
 * payload at {@value #MAX_PAYLOAD_CHARS} characters (the cut marked {@code …[truncated: N ... in
 * all]}), and a symbol that breaks the symbol rule is quoted by its first 40 characters.
 *
 * @param id deterministic: the same rejected input always gives the same id
 * @param symbol the symbol when known, else empty
 * @param stage where it was rejected: {@code parse}, {@code sanitize}, {@code window}, {@code
 *     inference}, {@code reprediction}, {@code sink}
 * @param reason a sentence a person can act on
 * @param eventTime the bar time it concerns (epoch ms), or 0 when unknown or not a time in [1970,
 *     2100)
 * @param payload the rejected input as text (JSON for bars)
 */
public record DeadLetter(
        String id, String symbol, String stage, String reason, long eventTime, String payload) {

    /** Where barcast rejects input or work, in the order a bar meets them. */
    public static final List<String> STAGES =
            List.of("parse", "sanitize", "window", "reprediction", "inference", "sink");

    public static final int MAX_REASON_CHARS = 2_000;
    public static final int MAX_PAYLOAD_CHARS = 32_768;

    /** 2100-01-01: event times from then on are kept as 0 (unknown). */
    private static final long LATEST_TIME = 4_102_444_800_000L;

    public static DeadLetter of(
            String symbol, String stage, String reason, long eventTime, String payload) {
        String safeSymbol = symbol == null ? "" : Symbols.quote(symbol);
        String safeReason = SafeText.cap(reason == null ? "" : reason, MAX_REASON_CHARS);
        String safePayload = SafeText.cap(payload == null ? "" : payload, MAX_PAYLOAD_CHARS);
        // a time no sink can store (a bar from the year 300000000) is in the reason anyway
        long safeTime = eventTime < 0 || eventTime >= LATEST_TIME ? 0 : eventTime;
        String key =
                String.join(
                        "\u0000",
                        safeSymbol,
                        stage,
                        safeReason,
                        Long.toString(safeTime),
                        safePayload);
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        return new DeadLetter(id, safeSymbol, stage, safeReason, safeTime, safePayload);
    }
}
