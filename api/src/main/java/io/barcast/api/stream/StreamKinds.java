package io.barcast.api.stream;

import io.barcast.api.push.EventKind;
import java.util.List;

/**
 * The kinds a client can stream and the names it uses: the plural of a path ({@code predictions})
 * or, in WebSocket messages, the singular label of the events ({@code prediction}) too.
 */
final class StreamKinds {

    static final List<EventKind> ALL =
            List.of(
                    EventKind.PREDICTION,
                    EventKind.RECOMMENDATION,
                    EventKind.ALERT,
                    EventKind.VALIDATION);

    private StreamKinds() {}

    /** {@code predictions}, {@code recommendations}, {@code alerts}, {@code validations}. */
    static String plural(EventKind kind) {
        return kind.label() + "s";
    }

    /** The kind of a plural or singular name; null when it names none of the four. */
    static EventKind of(String name) {
        if (name == null) {
            return null;
        }
        for (EventKind kind : ALL) {
            if (kind.label().equals(name) || plural(kind).equals(name)) {
                return kind;
            }
        }
        return null;
    }

    static String names() {
        return "predictions, recommendations, alerts, validations";
    }
}
