package io.barcast.connectors.polygon;

import java.util.Locale;

/** How the Polygon source gets new bars once the backfill is done. */
public enum PolygonMode {
    /** Polls the REST aggregates endpoint for bars that have become final. */
    REST,
    /** Rolls the WebSocket's minute aggregates up to bars; REST fills the gaps around it. */
    WEBSOCKET;

    /** The mode named {@code rest} or {@code websocket}. */
    public static PolygonMode of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
