package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /** A model folder was refused. */
    public static final String MODEL = "model";

    /** A symbol's rolling forecast accuracy fell below its threshold. */
    public static final String ACCURACY_DROP = "accuracy_drop";

    /** A forecast's confidence is below the alert threshold. */
    public static final String LOW_CONFIDENCE = "low_confidence";

    /** No bar where the symbol's calendar expects one. */
    public static final String DATA_GAP = "data_gap";

    /** A live bar arrived long after it ended. */
    public static final String FEED_LAG = "feed_lag";

    /** Many records went to the dead letters in a short time. */
    public static final String DEAD_LETTERS = "dead_letters";

    /** Inference failed for a forecast. */
    public static final String INFERENCE = "inference";

    /** The API disabled a webhook endpoint (it answered 410, or failed for too long). */
    public static final String WEBHOOK = "webhook";

    public static final List<String> SEVERITIES = List.of(INFO, WARNING, CRITICAL);

    public static final List<String> CATEGORIES =
            List.of(
                    MODEL,
                    ACCURACY_DROP,
                    LOW_CONFIDENCE,
                    DATA_GAP,
                    FEED_LAG,
                    DEAD_LETTERS,
                    INFERENCE,
                    WEBHOOK);

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
