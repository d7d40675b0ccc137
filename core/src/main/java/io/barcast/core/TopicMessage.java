package io.barcast.core;

/**
 * A message read from a topic as text, or why it has no text barcast can read: a tombstone (no
 * value) or bytes that are not UTF-8. The reader that parses it sends the unreadable ones to the
 * dead letters instead of failing on them.
 *
 * @param origin where it came from, e.g. {@code kafka:barcast.repredictions/0@42}
 * @param text the message as text, or null when it has none
 * @param payload what can be shown of an unreadable message (its bytes decoded leniently), else
 *     null
 * @param problem why it cannot be read, else null
 */
public record TopicMessage(String origin, String text, String payload, String problem) {

    public static TopicMessage text(String origin, String text) {
        return new TopicMessage(origin, text, null, null);
    }

    public static TopicMessage unreadable(String origin, String payload, String problem) {
        return new TopicMessage(origin, null, payload, problem);
    }

    public boolean isReadable() {
        return problem == null;
    }
}
