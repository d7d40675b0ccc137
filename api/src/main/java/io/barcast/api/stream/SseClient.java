package io.barcast.api.stream;

import io.barcast.api.push.EventKind;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * A client of one server-sent event stream. Written with the servlet's non-blocking output: a write
 * never waits for the client's socket (Jetty says through {@link WriteListener} when it can take
 * more), so neither the reader nor a writer thread is ever held by a slow client, and a thousand
 * clients need no thousand threads.
 *
 * <p>A client that resumes is first caught up from its position by a catch-up reader; the live
 * events fanned out meanwhile wait in a second bounded buffer and follow, less those the catch-up
 * already sent.
 */
final class SseClient extends StreamClient implements WriteListener, AsyncListener {

    /** How long a dropped client has to take its last frame before the connection is cut. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final EventKind kind;
    private final Set<String> symbols;
    private final int capacity;
    private final ScheduledExecutorService timers;
    private final Object writeLock = new Object();

    private HttpServletRequest request;
    private ServletOutputStream out;
    private boolean unflushed;

    /** Guarded by this: live events fanned out while the catch-up runs. */
    private ArrayDeque<StreamEvent> pending;

    /** Guarded by this: below it in each partition, the client has had everything. */
    private StreamPosition floor;

    /** Guarded by this: every live event's position is past the floor, so it takes shared ids. */
    private boolean floorPassed;

    /**
     * @param symbols the symbols it asked for; empty for all
     * @param resumeFrom the position it resumes from, or null for a new stream
     */
    SseClient(
            EventKind kind,
            List<String> symbols,
            String keyId,
            int capacity,
            StreamPosition resumeFrom,
            Executor writers,
            ScheduledExecutorService timers,
            StreamMetrics metrics,
            Runnable onGone) {
        super(Transport.SSE, keyId, capacity, writers, metrics, onGone);
        this.kind = kind;
        this.symbols = Set.copyOf(symbols);
        this.capacity = capacity;
        this.timers = timers;
        this.resumeFrom = resumeFrom;
        this.floor = resumeFrom == null ? StreamPosition.none() : resumeFrom;
        this.floorPassed = resumeFrom == null;
        this.pending = resumeFrom == null ? null : new ArrayDeque<>();
        awaitWritable();
    }

    EventKind kind() {
        return kind;
    }

    @Override
    Set<EventKind> kinds() {
        return Set.of(kind);
    }

    boolean wants(String symbol) {
        return symbols.isEmpty() || symbols.contains(symbol);
    }

    /** Starts writing to the request's (already asynchronous) response. */
    void attach(HttpServletRequest req, ServletOutputStream output) {
        this.request = req;
        this.out = output;
        AsyncContext async = req.getAsyncContext();
        async.setTimeout(0);
        async.addListener(this);
        output.setWriteListener(this);
    }

    /** Guarded by this: where the live fan-out stood when the client registered. */
    private StreamPosition live;

    private final StreamPosition resumeFrom;

    @Override
    synchronized void registered(Map<EventKind, StreamPosition> at) {
        live = at.get(kind);
        ready(resumeFrom == null ? live : resumeFrom);
    }

    /** Where the live fan-out stood when the client registered. */
    synchronized StreamPosition live() {
        return live;
    }

    /** The first frame: where the stream starts, so a client that got no event can resume. */
    private void ready(StreamPosition at) {
        String data =
                "{\"stream\":\""
                        + StreamKinds.plural(kind)
                        + "\",\"symbols\":"
                        + symbolsJson()
                        + ",\"resumed\":"
                        + (pending != null)
                        + "}";
        offer(new Frame(null, StreamEvent.Frames.sse("ready", at.id(kind), data)));
    }

    private String symbolsJson() {
        StringBuilder json = new StringBuilder("[");
        for (String symbol : symbols.stream().sorted().toList()) {
            json.append(json.length() > 1 ? "," : "").append('"').append(symbol).append('"');
        }
        return json.append(']').toString();
    }

    @Override
    synchronized void deliver(StreamEvent event) {
        if (ending() || !wants(event.symbol)) {
            return;
        }
        if (pending != null) {
            if (pending.size() >= capacity) {
                drop(
                        "slow",
                        "more than "
                                + capacity
                                + " events arrived while the stream caught up; reconnect with the"
                                + " last event id");
                return;
            }
            pending.add(event);
            return;
        }
        send(event);
    }

    /** Sends a live event unless the catch-up sent it; with the shared id when it can. */
    private void send(StreamEvent event) {
        if (event.offset < floor.next(event.partition)) {
            return;
        }
        if (!floorPassed && event.after.covers(floor)) {
            floorPassed = true;
        }
        byte[] frame = floorPassed ? event.sse() : event.sse(floor.max(event.after));
        offer(new Frame(kind, frame));
    }

    /**
     * Queues an event the catch-up read, waiting while the queue is full (the client reads at its
     * pace); false when the client is gone or was dropped, or did not make room in time.
     */
    synchronized boolean sendCaughtUp(StreamEvent event, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!ending() && !hasRoom()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                drop("slow", "the client read the catch-up too slowly; reconnect to resume");
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return offer(new Frame(kind, event.sse()));
    }

    /** The catch-up reached {@code reached}: the live events it held back follow. */
    synchronized void caughtUp(StreamPosition reached) {
        floor = floor.max(reached);
        ArrayDeque<StreamEvent> held = pending;
        pending = null;
        if (held == null) {
            return;
        }
        for (StreamEvent event : held) {
            if (ending()) {
                return;
            }
            send(event);
        }
    }

    @Override
    Object writeLock() {
        return writeLock;
    }

    @Override
    boolean canWrite() {
        return out.isReady();
    }

    @Override
    void write(Object body) throws IOException {
        out.write((byte[]) body);
        unflushed = true;
    }

    @Override
    boolean flushed() {
        return !unflushed;
    }

    @Override
    void flush() throws IOException {
        unflushed = false;
        out.flush();
    }

    @Override
    void finish() {
        gone();
    }

    @Override
    void afterDrop() {
        timers.schedule(this::cutOff, GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A dropped client that did not take its last frame: the connection is closed under it. */
    private void cutOff() {
        if (done().isDone()) {
            return;
        }
        try {
            ServletContextRequest.getServletContextRequest(request)
                    .getServletChannel()
                    .abort(new IOException("stream client dropped"));
        } catch (RuntimeException e) {
            // already closing
        }
        gone();
    }

    @Override
    Object finalFrame(String reason, String detail) {
        return StreamEvent.Frames.sse(
                "dropped",
                null,
                "{\"reason\":\"" + reason + "\",\"detail\":" + quote(detail) + "}");
    }

    @Override
    Object heartbeatFrame() {
        return StreamEvent.Frames.HEARTBEAT;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void onWritePossible() {
        writable();
    }

    @Override
    public void onError(Throwable t) {
        gone();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        gone();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        gone();
    }

    @Override
    public void onError(AsyncEvent event) {
        gone();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
}
