package io.barcast.api.stream;

import io.barcast.api.push.EventKind;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A WebSocket client: live events of the kinds and symbols it subscribed to. Sent with Jetty's
 * asynchronous sends, one at a time: the next leaves when the last is on its way, so a slow
 * client's frames wait in its bounded queue, not in Jetty, and no thread waits for its socket.
 */
final class WsClient extends StreamClient {

    /** Close code 1008 (policy violation) for a client dropped as too slow or revoked. */
    static final int DROPPED = 1008;

    private static final Object PING = new Object();

    private final Session session;
    private final Object writeLock = new Object();

    /** Replaced whole on every change; the reader reads it without a lock. */
    private volatile Map<EventKind, Subscription> subscriptions = Map.of();

    /** Set while a send is on its way; cleared by its callback. */
    private volatile boolean sending;

    /** What a client receives of one kind: all symbols, or these. */
    record Subscription(boolean allSymbols, Set<String> symbols) {
        boolean wants(String symbol) {
            return allSymbols || symbols.contains(symbol);
        }
    }

    WsClient(
            Session session,
            String keyId,
            int capacity,
            Executor writers,
            StreamMetrics metrics,
            Runnable onGone) {
        super(Transport.WS, keyId, capacity, writers, metrics, onGone);
        this.session = session;
    }

    @Override
    Set<EventKind> kinds() {
        return subscriptions.keySet();
    }

    Map<EventKind, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Adds {@code symbols} (empty: all of them) of each kind; returns the result. */
    synchronized Map<EventKind, Subscription> subscribe(
            List<EventKind> kinds, List<String> symbols) {
        Map<EventKind, Subscription> next = new EnumMap<>(EventKind.class);
        next.putAll(subscriptions);
        for (EventKind kind : kinds) {
            Subscription now = next.get(kind);
            if (symbols.isEmpty() || (now != null && now.allSymbols())) {
                next.put(kind, new Subscription(true, Set.of()));
            } else {
                Set<String> union = new TreeSet<>(symbols);
                if (now != null) {
                    union.addAll(now.symbols());
                }
                next.put(kind, new Subscription(false, Collections.unmodifiableSet(union)));
            }
        }
        subscriptions = Collections.unmodifiableMap(next);
        return subscriptions;
    }

    /**
     * Removes {@code symbols} of each kind, or the kinds whole when {@code symbols} is empty;
     * returns the result. Single symbols cannot be taken out of an all-symbols subscription.
     */
    synchronized Map<EventKind, Subscription> unsubscribe(
            List<EventKind> kinds, List<String> symbols) {
        Map<EventKind, Subscription> next = new EnumMap<>(EventKind.class);
        next.putAll(subscriptions);
        for (EventKind kind : kinds) {
            Subscription now = next.get(kind);
            if (now == null) {
                continue;
            }
            if (symbols.isEmpty()) {
                next.remove(kind);
            } else if (now.allSymbols()) {
                throw new IllegalArgumentException(
                        StreamKinds.plural(kind)
                                + " is subscribed for all symbols; unsubscribe the kind without"
                                + " symbols, then subscribe the symbols you want");
            } else {
                Set<String> rest = new TreeSet<>(now.symbols());
                rest.removeAll(symbols);
                if (rest.isEmpty()) {
                    next.remove(kind);
                } else {
                    next.put(kind, new Subscription(false, Collections.unmodifiableSet(rest)));
                }
            }
        }
        subscriptions = Collections.unmodifiableMap(next);
        return subscriptions;
    }

    @Override
    synchronized void deliver(StreamEvent event) {
        Subscription subscription = subscriptions.get(event.kind);
        if (subscription != null && subscription.wants(event.symbol)) {
            offer(new Frame(event.kind, event.ws()));
        }
    }

    /** A reply to the client's message (an acknowledgement or an error). */
    synchronized void reply(String message) {
        offer(new Frame(null, message));
    }

    @Override
    Object writeLock() {
        return writeLock;
    }

    @Override
    boolean canWrite() {
        return !sending;
    }

    @Override
    void write(Object body) {
        sending = true;
        Callback sent = Callback.from(this::sent, failure -> gone());
        if (body == PING) {
            session.sendPing(ByteBuffer.allocate(0), sent);
        } else {
            session.sendText((String) body, sent);
        }
    }

    private void sent() {
        sending = false;
        writable();
    }

    @Override
    boolean flushed() {
        return true;
    }

    @Override
    void flush() {}

    @Override
    void finish() {
        session.close(DROPPED, "dropped", Callback.NOOP);
    }

    @Override
    void afterDrop() {
        // Jetty's idle timeout closes a session whose close frame cannot leave
    }

    @Override
    Object finalFrame(String reason, String detail) {
        return "{\"type\":\"dropped\",\"reason\":\""
                + reason
                + "\",\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}";
    }

    @Override
    Object heartbeatFrame() {
        return PING;
    }
}
