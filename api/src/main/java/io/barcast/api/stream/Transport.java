package io.barcast.api.stream;

import java.util.Locale;

/** How a stream client is connected. */
enum Transport {
    /** Server-sent events: one kind per connection, resumable. */
    SSE,
    /** A WebSocket: subscriptions change by message, live only. */
    WS;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
