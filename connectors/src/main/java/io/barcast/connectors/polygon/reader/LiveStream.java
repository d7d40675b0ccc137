package io.barcast.connectors.polygon.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.connectors.polygon.ApiKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One connection to Polygon's WebSocket: connects, authenticates, subscribes to the symbols' minute
 * aggregates and reports what happens to {@link Events}. It never reconnects by itself: the reader
 * decides when. Callbacks arrive on the HTTP client's threads.
 */
final class LiveStream implements WebSocket.Listener {

    /** What the stream reports; each connection reports at most one of the last two. */
    interface Events {
        void minutes(LiveStream from, List<MinuteBar> minutes, List<String> unreadable);

        void lost(LiveStream from, String why);

        void refused(LiveStream from, String why);
    }

    private final URI uri;
    private final ApiKey key;
    private final List<String> symbols;
    private final Duration connectTimeout;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Events events;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Clock market;

    private volatile WebSocket socket;
    private volatile long lastHeard;
    private volatile long lastHeardMarket = Long.MIN_VALUE;
    private long lastPing;

    LiveStream(
            String url,
            ApiKey key,
            List<String> symbols,
            Duration connectTimeout,
            HttpClient http,
            ObjectMapper mapper,
            Clock market,
            Events events) {
        this.market = market;
        this.uri = URI.create(url);
        this.key = key;
        this.symbols = symbols;
        this.connectTimeout = connectTimeout;
        this.http = http;
        this.mapper = mapper;
        this.events = events;
    }

    void connect() {
        http.newWebSocketBuilder()
                .connectTimeout(connectTimeout)
                .buildAsync(uri, this)
                .whenComplete(
                        (ws, error) -> {
                            if (error != null) {
                                lost("cannot connect: " + describe(error));
                            }
                        });
    }

    /** Closes the connection; nothing is reported afterwards. */
    void close() {
        ended.set(true);
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    /**
     * Pings the server every {@code heartbeat}; a connection that has said nothing (no message, no
     * pong) for two heartbeats is half-open and reported lost. Called from the reader's thread.
     */
    void keepAlive(long now, long heartbeatMillis) {
        WebSocket ws = socket;
        if (ws == null || ended.get()) {
            return;
        }
        if (now - lastHeard > 2 * heartbeatMillis) {
            lost("no answer to pings for " + (now - lastHeard) + " ms");
        } else if (now - lastPing >= heartbeatMillis) {
            lastPing = now;
            ws.sendPing(ByteBuffer.allocate(0));
        }
    }

    /**
     * Market time when the server was last heard (a message or a pong). TCP keeps order, so every
     * minute the server sent before then has arrived.
     */
    long lastHeardMarket() {
        return lastHeardMarket;
    }

    private void heard() {
        lastHeard = System.currentTimeMillis();
        lastHeardMarket = market.millis();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        heard();
        lastPing = lastHeard;
        socket = webSocket;
        if (ended.get()) {
            // Closed while connecting: never hold Polygon's one connection per plan.
            webSocket.abort();
            return;
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        heard();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        heard();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        heard();
        partial.append(data);
        if (last) {
            String message = partial.toString();
            partial.setLength(0);
            handle(webSocket, message);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(WebSocket webSocket, String message) {
        JsonNode root;
        try {
            root = mapper.readTree(message);
        } catch (Exception e) {
            report(List.of(), List.of(message));
            return;
        }
        List<MinuteBar> minutes = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (JsonNode event : root.isArray() ? root : mapper.createArrayNode().add(root)) {
            String ev = event.path("ev").asText();
            if (ev.equals("status")) {
                status(webSocket, event.path("status").asText(), event.path("message").asText());
            } else if (ev.equals("AM") || ev.equals("XA")) {
                try {
                    minutes.add(MinuteBar.of(event));
                } catch (IllegalArgumentException e) {
                    unreadable.add(e.getMessage() + ": " + event);
                }
            }
        }
        report(minutes, unreadable);
    }

    private void report(List<MinuteBar> minutes, List<String> unreadable) {
        if (!ended.get() && (!minutes.isEmpty() || !unreadable.isEmpty())) {
            events.minutes(this, minutes, unreadable);
        }
    }

    private void status(WebSocket webSocket, String status, String message) {
        if (ended.get()) {
            return;
        }
        switch (status) {
            case "connected" ->
                    webSocket.sendText(
                            mapper.createObjectNode()
                                    .put("action", "auth")
                                    .put("params", key.reveal())
                                    .toString(),
                            true);
            case "auth_success" ->
                    webSocket.sendText(
                            mapper.createObjectNode()
                                    .put("action", "subscribe")
                                    .put(
                                            "params",
                                            symbols.stream()
                                                    .map(Channels::of)
                                                    .collect(Collectors.joining(",")))
                                    .toString(),
                            true);
            case "auth_failed" -> {
                if (ended.compareAndSet(false, true)) {
                    events.refused(this, key.scrub(message));
                }
                webSocket.abort();
            }
            case "max_connections" -> lost("Polygon allows one connection per plan: " + message);
            default -> {}
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        lost("closed by the server (" + statusCode + (reason.isEmpty() ? "" : ", " + reason) + ")");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost(describe(error));
    }

    private void lost(String why) {
        if (ended.compareAndSet(false, true)) {
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
            events.lost(this, key.scrub(why));
        }
    }

    /** The innermost cause's class and message, e.g. {@code ConnectException: refused}. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
