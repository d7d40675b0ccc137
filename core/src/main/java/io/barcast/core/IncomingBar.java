package io.barcast.core;

/**
 * What a source read: a parsed {@link Bar}, or the raw text it could not parse and why. Every
 * source emits these, so that unparsable input reaches the dead letters instead of vanishing.
 *
 * @param origin where it came from, e.g. {@code replay:bars.csv:17} or {@code kafka:bars/0@42}
 * @param bar the parsed bar, or null when the input could not be parsed
 * @param payload the raw input when it could not be parsed, else null
 * @param problem why it could not be parsed, else null
 */
public record IncomingBar(String origin, Bar bar, String payload, String problem) {

    public static IncomingBar parsed(String origin, Bar bar) {
        return new IncomingBar(origin, bar, null, null);
    }

    public static IncomingBar unparsable(String origin, String payload, String problem) {
        return new IncomingBar(origin, null, payload, problem);
    }

    public boolean isParsed() {
        return bar != null;
    }
}
