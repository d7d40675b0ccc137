package io.barcast.connectors.polygon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.Bar;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for Polygon.io's WebSocket feed of per-minute aggregates, speaking Polygon's
 * protocol: a {@code connected} status on open, {@code auth} and {@code subscribe} actions, and
 * {@code AM} (stocks, channel {@code AM.AAPL}) and {@code XA} (crypto, channel {@code XA.ETH-USD})
 * events sent by {@link #publish}. Channels may use Polygon's wildcard, e.g. {@code AM.*}.
 */
public final class PolygonWebSocketServer implements AutoCloseable {

    private static final long MINUTE = 60_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> CRYPTO_QUOTES = List.of("USDT", "USDC", "USD", "EUR", "GBP");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(PolygonWebSocketServer.class);

    private final String apiKey;
    private final Server server;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Map<String, SymbolTotals> totals = new HashMap<>();
    private final ReentrantLock subscribeLock = new ReentrantLock();
    private final Condition subscribed = subscribeLock.newCondition();
    private volatile Session latest;

    private PolygonWebSocketServer(String apiKey) {
        this.apiKey = apiKey;
        this.server = new Server(new InetSocketAddress("127.0.0.1", 0));
        server.setReuseAddr(true);
        server.setDaemon(true);
    }

    /** Starts a server on an ephemeral port of 127.0.0.1 that accepts {@code apiKey}. */
    public static PolygonWebSocketServer start(String apiKey) {
        PolygonWebSocketServer feed = new PolygonWebSocketServer(apiKey);
        feed.server.start();
        try {
            feed.started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the WebSocket server did not start", e);
        }
        return feed;
    }

    /** The stocks endpoint, e.g. {@code ws://127.0.0.1:54321/stocks} (any path is served). */
    public String url() {
        return "ws://127.0.0.1:" + server.getPort() + "/stocks";
    }

    @Override
    public void close() {
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- symbols

    /** Maps a crypto symbol to Polygon's pair, e.g. {@code X:ETHUSD} to {@code ETH-USD}. */
    public static String cryptoPair(String symbol) {
        if (!isCrypto(symbol)) {
            throw new IllegalArgumentException("not a crypto symbol: " + symbol);
        }
        String pair = symbol.substring(2);
        for (String quote : CRYPTO_QUOTES) {
            if (pair.length() > quote.length() && pair.endsWith(quote)) {
                return pair.substring(0, pair.length() - quote.length()) + "-" + quote;
            }
        }
        throw new IllegalArgumentException("unknown quote currency in " + symbol);
    }

    /** The channel carrying a symbol's minute bars: {@code AM.AAPL} or {@code XA.ETH-USD}. */
    public static String channelOf(String symbol) {
        return isCrypto(symbol) ? "XA." + cryptoPair(symbol) : "AM." + symbol;
    }

    private static boolean isCrypto(String symbol) {
        return symbol.startsWith("X:");
    }

    // ---------------------------------------------------------------- publishing

    /**
     * Sends each minute bar to every authenticated connection subscribed to its channel. Bars are
     * sent in time order; those with the same start go out as one JSON array. Missing vw/n are
     * filled as {@link PolygonRestServer#withVwapAndTrades} does.
     */
    public synchronized void publish(List<Bar> minutes) {
        Map<Long, List<Bar>> byStart = new TreeMap<>();
        minutes.stream()
                .sorted(Comparator.comparingLong(Bar::time))
                .forEach(
                        bar ->
                                byStart.computeIfAbsent(bar.time(), t -> new ArrayList<>())
                                        .add(PolygonRestServer.withVwapAndTrades(bar)));
        for (List<Bar> group : byStart.values()) {
            List<Event> events = new ArrayList<>(group.size());
            for (Bar bar : group) {
                events.add(new Event(channelOf(bar.symbol()), toEvent(bar)));
            }
            for (WebSocket connection : server.getConnections()) {
                Session session = connection.getAttachment();
                if (session == null || !session.authenticated || session.frozen) {
                    continue;
                }
                ArrayNode message = JSON.createArrayNode();
                for (Event event : events) {
                    if (session.isSubscribed(event.channel())) {
                        message.add(event.json());
                    }
                }
                if (!message.isEmpty()) {
                    send(connection, message);
                }
            }
        }
    }

    private record Event(String channel, ObjectNode json) {}

    /** Running per-symbol totals behind the {@code av}, {@code op} and {@code a} fields. */
    private static final class SymbolTotals {
        double firstOpen = Double.NaN;
        double volume;
        double weightedVwap;
        double vwapSum;
        long bars;

        void add(Bar bar) {
            if (bars == 0) {
                firstOpen = bar.open();
            }
            volume += bar.volume();
            weightedVwap += bar.vwap() * bar.volume();
            vwapSum += bar.vwap();
            bars++;
        }

        double averagePrice() {
            return volume == 0 ? vwapSum / bars : weightedVwap / volume;
        }
    }

    private ObjectNode toEvent(Bar bar) {
        SymbolTotals running = totals.computeIfAbsent(bar.symbol(), s -> new SymbolTotals());
        running.add(bar);
        double averageTradeSize = bar.volume() / bar.trades();
        ObjectNode event = JSON.createObjectNode();
        if (isCrypto(bar.symbol())) {
            event.put("ev", "XA")
                    .put("pair", cryptoPair(bar.symbol()))
                    .put("v", bar.volume())
                    .put("vw", bar.vwap())
                    .put("z", averageTradeSize)
                    .put("o", bar.open())
                    .put("c", bar.close())
                    .put("h", bar.high())
                    .put("l", bar.low());
        } else {
            event.put("ev", "AM")
                    .put("sym", bar.symbol())
                    .put("v", bar.volume())
                    .put("av", running.volume)
                    .put("op", running.firstOpen)
                    .put("vw", bar.vwap())
                    .put("o", bar.open())
                    .put("c", bar.close())
                    .put("h", bar.high())
                    .put("l", bar.low())
                    .put("a", running.averagePrice())
                    .put("z", averageTradeSize);
        }
        return event.put("s", bar.time()).put("e", bar.time() + MINUTE);
    }

    // ---------------------------------------------------------------- control and inspection

    /**
     * Closes every open connection abruptly, as a network failure would: no close frame, the TCP
     * connection reset (clients report code 1006 or an I/O error).
     */
    public void dropConnections() {
        for (WebSocket connection : server.getConnections()) {
            SelectionKey key = null;
            if (connection instanceof WebSocketImpl impl) {
                resetOnClose(impl.getChannel());
                key = impl.getSelectionKey();
            }
            connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by test");
            if (key != null) {
                // NIO closes a registered socket only once its selector runs: wake it up.
                key.selector().wakeup();
            }
        }
    }

    private static void resetOnClose(ByteChannel channel) {
        if (channel instanceof SocketChannel socket) {
            try {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // Already closed: nothing to reset.
            }
        }
    }

    /**
     * Turns every open connection half-open, as a silently dead network path would: it stays open
     * but carries nothing more, neither events nor answers to pings. New connections work.
     */
    public void freezeConnections() {
        for (WebSocket connection : server.getConnections()) {
            Session session = connection.getAttachment();
            if (session != null) {
                session.frozen = true;
            }
        }
    }

    /** The number of connections opened so far. */
    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** The number of currently open, authenticated connections. */
    public int authenticatedConnections() {
        int count = 0;
        for (WebSocket connection : server.getConnections()) {
            Session session = connection.getAttachment();
            if (connection.isOpen() && session != null && session.authenticated) {
                count++;
            }
        }
        return count;
    }

    /** The channels the most recently opened connection is subscribed to. */
    public Set<String> subscriptions() {
        Session session = latest;
        return session == null ? Set.of() : Set.copyOf(session.channels);
    }

    /** Waits until some open connection is subscribed to {@code channel}; false on timeout. */
    public boolean awaitSubscribed(String channel, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        subscribeLock.lock();
        try {
            while (!anyOpenSubscribedTo(channel)) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = subscribed.awaitNanos(remaining);
            }
            return true;
        } finally {
            subscribeLock.unlock();
        }
    }

    private boolean anyOpenSubscribedTo(String channel) {
        for (WebSocket connection : server.getConnections()) {
            Session session = connection.getAttachment();
            if (connection.isOpen() && session != null && session.isSubscribed(channel)) {
                return true;
            }
        }
        return false;
    }

    /** Every text message received from clients, in order of arrival. */
    public List<String> received() {
        return List.copyOf(received);
    }

    // ---------------------------------------------------------------- protocol

    /** Per-connection state. */
    private static final class Session {
        volatile boolean authenticated;
        volatile boolean frozen;
        final Set<String> channels = ConcurrentHashMap.newKeySet();

        boolean isSubscribed(String channel) {
            if (channels.contains(channel)) {
                return true;
            }
            int dot = channel.indexOf('.');
            return dot > 0 && channels.contains(channel.substring(0, dot + 1) + "*");
        }
    }

    private void onOpen(WebSocket connection) {
        Session session = new Session();
        connection.setAttachment(session);
        latest = session;
        connectionsOpened.incrementAndGet();
        send(connection, statuses(status("connected", "Connected Successfully")));
    }

    private void onMessage(WebSocket connection, String message) {
        received.add(message);
        Session session = connection.getAttachment();
        JsonNode request;
        try {
            request = JSON.readTree(message);
        } catch (IOException e) {
            send(connection, statuses(status("error", "invalid JSON")));
            return;
        }
        String action = request.path("action").asText("");
        String params = request.path("params").asText("");
        switch (action) {
            case "auth" -> authenticate(connection, session, params);
            case "subscribe", "unsubscribe" -> {
                if (!session.authenticated) {
                    send(connection, statuses(status("error", "not authorized")));
                } else {
                    subscribe(connection, session, params, action.equals("subscribe"));
                }
            }
            default -> send(connection, statuses(status("error", "unknown action: " + action)));
        }
    }

    private void authenticate(WebSocket connection, Session session, String key) {
        if (apiKey.equals(key)) {
            session.authenticated = true;
            send(connection, statuses(status("auth_success", "authenticated")));
        } else {
            send(connection, statuses(status("auth_failed", "authentication failed")));
            connection.close(CloseFrame.POLICY_VALIDATION, "authentication failed");
        }
    }

    private void subscribe(WebSocket connection, Session session, String params, boolean add) {
        List<ObjectNode> replies = new ArrayList<>();
        for (String param : params.split(",")) {
            String channel = param.trim();
            if (channel.isEmpty()) {
                continue;
            }
            if (add) {
                session.channels.add(channel);
                replies.add(status("success", "subscribed to: " + channel));
            } else {
                session.channels.remove(channel);
                replies.add(status("success", "unsubscribed to: " + channel));
            }
        }
        send(connection, statuses(replies.toArray(ObjectNode[]::new)));
        signalSubscriptionChange();
    }

    private void signalSubscriptionChange() {
        subscribeLock.lock();
        try {
            subscribed.signalAll();
        } finally {
            subscribeLock.unlock();
        }
    }

    private static ObjectNode status(String status, String message) {
        ObjectNode entry = JSON.createObjectNode();
        return entry.put("ev", "status").put("status", status).put("message", message);
    }

    private static ArrayNode statuses(ObjectNode... entries) {
        ArrayNode array = JSON.createArrayNode();
        for (ObjectNode entry : entries) {
            array.add(entry);
        }
        return array;
    }

    private static void send(WebSocket connection, ArrayNode message) {
        try {
            connection.send(message.toString());
        } catch (WebsocketNotConnectedException e) {
            // The client went away meanwhile; Polygon would drop the message too.
        }
    }

    /** The Java-WebSocket server, forwarding its callbacks to the enclosing fixture. */
    private final class Server extends WebSocketServer {

        Server(InetSocketAddress address) {
            super(address);
        }

        @Override
        public void onStart() {
            started.complete(null);
        }

        @Override
        public void onWebsocketPing(WebSocket connection, Framedata ping) {
            Session session = connection.getAttachment();
            if (session == null || !session.frozen) {
                super.onWebsocketPing(connection, ping);
            }
        }

        @Override
        public void onOpen(WebSocket connection, ClientHandshake handshake) {
            PolygonWebSocketServer.this.onOpen(connection);
        }

        @Override
        public void onMessage(WebSocket connection, String message) {
            PolygonWebSocketServer.this.onMessage(connection, message);
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
            signalSubscriptionChange();
        }

        @Override
        public void onError(WebSocket connection, Exception error) {
            if (connection == null) {
                // A server-level failure, e.g. while binding.
                started.completeExceptionally(error);
            }
            LOG.warn("Error on {}", connection == null ? "the server" : "a connection", error);
        }
    }
}
