package io.barcast.core;

/**
 * Text every sink accepts. PostgreSQL refuses a NUL character in {@code text} and a JSON writer
 * turns an unpaired UTF-16 surrogate into bytes no UTF-8 reader takes, so both become U+FFFD; and
 * text that came from outside is capped, so that one record cannot outgrow a Kafka request or a
 * table row.
 */
public final class SafeText {

    /** What stands for a character no sink takes. */
    public static final char REPLACEMENT = '\uFFFD';

    private SafeText() {}

    /** The text with every NUL and every unpaired surrogate replaced by U+FFFD; null stays null. */
    public static String clean(String text) {
        if (text == null || isClean(text)) {
            return text;
        }
        StringBuilder cleaned = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                cleaned.append(c).append(text.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                cleaned.append(REPLACEMENT);
            } else {
                cleaned.append(c);
            }
        }
        return cleaned.toString();
    }

    /** Whether the text has neither a NUL nor an unpaired surrogate. */
    public static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The cleaned text, cut to at most {@code maxChars} characters when longer, the cut marked with
     * {@code …[truncated: N characters in all]} inside the limit; null stays null.
     */
    public static String cap(String text, int maxChars) {
        String cleaned = clean(text);
        if (cleaned == null || cleaned.length() <= maxChars) {
            return cleaned;
        }
        return cut(cleaned, maxChars, cleaned.length());
    }

    /**
     * A prefix of text that was longer than what is at hand (a line of megabytes read only in
     * part), marked with its whole length in characters or bytes as {@code unit} says.
     */
    public static String truncated(String prefix, int maxChars, long wholeLength, String unit) {
        String cleaned = clean(prefix);
        String marker = marker(wholeLength, unit);
        int keep = Math.max(0, Math.min(cleaned.length(), maxChars - marker.length()));
        return safePrefix(cleaned, keep) + marker;
    }

    private static String cut(String cleaned, int maxChars, long wholeLength) {
        String marker = marker(wholeLength, "characters");
        int keep = Math.max(0, maxChars - marker.length());
        return safePrefix(cleaned, keep) + marker;
    }

    private static String marker(long wholeLength, String unit) {
        return "\u2026[truncated: " + wholeLength + " " + unit + " in all]";
    }

    /** The first {@code length} characters, one less where that would split a surrogate pair. */
    private static String safePrefix(String text, int length) {
        if (length > 0
                && length < text.length()
                && Character.isHighSurrogate(text.charAt(length - 1))) {
            length--;
        }
        return text.substring(0, Math.min(length, text.length()));
    }
}
