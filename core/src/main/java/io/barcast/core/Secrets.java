package io.barcast.core;

import java.util.regex.Pattern;

/**
 * Keeps secrets (passwords, API keys) out of what barcast shows: logs, error messages, the printed
 * settings. Every hidden secret reads {@value #MASK}.
 */
public final class Secrets {

    /** What a hidden secret shows as. */
    public static final String MASK = "***";

    /** A {@code password=} parameter of a JDBC URL, up to the next parameter or whitespace. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");

    private Secrets() {}

    /** The text with the value of every {@code password=} URL parameter in it masked. */
    public static String maskUrlPasswords(String text) {
        return text == null ? null : URL_PASSWORD.matcher(text).replaceAll("$1" + MASK);
    }

    /** The text with every occurrence of {@code secret} masked; an empty secret hides nothing. */
    public static String mask(String text, String secret) {
        return text == null || secret == null || secret.isEmpty()
                ? text
                : text.replace(secret, MASK);
    }
}
