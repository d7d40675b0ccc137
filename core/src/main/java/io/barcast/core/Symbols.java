package io.barcast.core;

import java.util.Locale;

/**
 * What a symbol may be: 1 to 32 characters of {@code A-Z 0-9 . : _ -}, upper-cased ({@code AAPL},
 * {@code BRK.B}, {@code X:BTCUSD}, {@code I:SPX}). Every symbol that enters barcast (a bar, a
 * reprediction request, an option) is checked against it at the edge, so that state keys, table
 * rows and topic keys are short, printable and comparable.
 */
public final class Symbols {

    public static final int MAX_LENGTH = 32;

    /** The rule in words, for the reason of a dead letter. */
    public static final String RULE =
            "1 to " + MAX_LENGTH + " characters of A-Z, 0-9, '.', ':', '_' and '-'";

    /** How much of a refused symbol a reason quotes. */
    private static final int QUOTED = 40;

    private Symbols() {}

    /** The symbol in its one spelling (trimmed, upper case); null when it breaks the rule. */
    public static String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String trimmed = raw.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (!isSymbolCharacter(trimmed.charAt(i))) {
                return null;
            }
        }
        return trimmed.toUpperCase(Locale.ROOT);
    }

    /** Checked on the text as given: upper-casing first would let {@code ß} pass as {@code SS}. */
    private static boolean isSymbolCharacter(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == ':'
                || c == '_'
                || c == '-';
    }

    /**
     * Why a symbol breaks the rule, quoting at most 40 of its characters; null when it keeps it.
     */
    public static String problemOf(String raw) {
        if (raw == null || raw.isBlank()) {
            return "no symbol";
        }
        if (normalize(raw) != null) {
            return null;
        }
        return "symbol '" + quote(raw) + "' is not " + RULE;
    }

    /**
     * A short, clean rendering of any symbol-like text, for reasons and dead-letter columns: at
     * most 40 characters, a longer one cut to its first 39 and an ellipsis.
     */
    public static String quote(String raw) {
        if (raw == null) {
            return "";
        }
        String clean = SafeText.clean(raw);
        if (clean.length() <= QUOTED) {
            return clean;
        }
        int keep = QUOTED - 1;
        if (Character.isHighSurrogate(clean.charAt(keep - 1))) {
            keep--;
        }
        return clean.substring(0, keep) + "\u2026";
    }
}
