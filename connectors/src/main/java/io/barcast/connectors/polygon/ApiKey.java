package io.barcast.connectors.polygon;

import io.barcast.core.Secrets;
import java.io.Serializable;

/**
 * The Polygon API key. It travels with the job to the readers but never shows: {@link #toString()}
 * is masked, and {@link #scrub(String)} removes it from any text that might quote it (an error
 * message echoing a URL, say).
 */
public final class ApiKey implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;

    public ApiKey(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the Polygon API key is empty");
        }
        String trimmed = value.trim();
        if (!trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // Never quote it: HTTP header checks would, and their messages end up in logs.
            throw new IllegalArgumentException(
                    "the Polygon API key has spaces or characters outside printable ASCII (an"
                            + " invisible character pasted with it?)");
        }
        this.value = trimmed;
    }

    /** The key itself, for the Authorization header and the WebSocket auth message only. */
    public String reveal() {
        return value;
    }

    /** The text with every occurrence of the key masked ({@value Secrets#MASK}). */
    public String scrub(String text) {
        return Secrets.mask(text, value);
    }

    @Override
    public String toString() {
        return Secrets.MASK;
    }
}
