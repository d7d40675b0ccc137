package io.barcast.api.stream;

import io.barcast.api.push.EventKind;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One connected client: a bounded queue of frames between the reader, which only ever adds to it
 * (never waiting), and the client's connection, which a shared pool of writer threads drains with
 * non-blocking writes. A client whose queue overflows is too slow: it is dropped, with a last frame
 * saying why, and nobody else waits for it. Subclasses are the two transports.
 */
abstract class StreamClient {

    /** A frame of the transport; {@code kind} is set for events, which the metrics count. */
    record Frame(EventKind kind, Object body) {}

    private final Transport transport;
    private final String keyId;
    private final int capacity;
    private final Executor writers;
    private final StreamMetrics metrics;
    private final Runnable onGone;

    /** Guarded by this. */
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();

    /**
     * Guarded by this: a final frame is queued, or the connection is gone; nothing more goes in.
     */
    private boolean ending;

    /** Guarded by this: a writer runs or is asked to run. */
    private boolean pumping;

    /** Guarded by this: the connection cannot take more now and will say when it can. */
    private boolean awaiting;

    /** Guarded by this: frames went out since the last heartbeat tick. */
    private boolean active;

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    StreamClient(
            Transport transport,
            String keyId,
            int capacity,
            Executor writers,
            StreamMetrics metrics,
            Runnable onGone) {
        this.transport = transport;
        this.keyId = keyId;
        this.capacity = capacity;
        this.writers = writers;
        this.metrics = metrics;
        this.onGone = onGone;
    }

    Transport transport() {
        return transport;
    }

    /** The id of the key that opened the stream (never the key). */
    String keyId() {
        return keyId;
    }

    /** The kinds it receives now. */
    abstract Set<EventKind> kinds();

    /**
     * Called under the fan-out lock as the client registers, with where each of its kinds stands:
     * it gets every event after that.
     */
    void registered(Map<EventKind, StreamPosition> at) {}

    /** Called by the reader while it fans out {@code event}; must never wait. */
    abstract void deliver(StreamEvent event);

    /** Completes when the connection has ended, for whatever reason. */
    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Queues a frame; when the queue is full the client is dropped as too slow and false returned.
     * Callers hold this client's lock.
     */
    final boolean offer(Frame frame) {
        if (ending) {
            return false;
        }
        if (queue.size() >= capacity) {
            drop(
                    "slow",
                    "the client read too slowly: "
                            + capacity
                            + " events were waiting for it; reconnect (with the last event id to"
                            + " resume)");
            return false;
        }
        queue.add(frame);
        kick();
        return true;
    }

    /** Whether the queue has room for another frame; callers hold this client's lock. */
    final boolean hasRoom() {
        return queue.size() < capacity;
    }

    final synchronized boolean ending() {
        return ending;
    }

    /**
     * Ends the stream from the server's side: what is queued is thrown away, one last frame says
     * why, then the connection closes. A client that takes nothing more is cut off after a grace
     * period by the transport.
     */
    final synchronized void drop(String reason, String detail) {
        if (ending) {
            return;
        }
        metrics.dropped(transport, reason);
        queue.clear();
        queue.add(new Frame(null, finalFrame(reason, detail)));
        ending = true;
        notifyAll();
        kick();
        afterDrop();
    }

    /** Sends a heartbeat when nothing went out since the last tick. */
    final synchronized void heartbeat() {
        if (!active && !ending && queue.isEmpty()) {
            queue.add(new Frame(null, heartbeatFrame()));
            kick();
        }
        active = false;
    }

    /** The connection went away (the client closed it, a write failed, it was cut off). */
    final void gone() {
        synchronized (this) {
            ending = true;
            queue.clear();
            notifyAll();
        }
        if (!done.isDone()) {
            onGone.run();
            done.complete(null);
        }
    }

    /** Until {@link #writable()}: the connection will say when it can take the first frame. */
    final synchronized void awaitWritable() {
        awaiting = true;
    }

    private void kick() {
        if (!pumping && !awaiting) {
            pumping = true;
            writers.execute(this::pump);
        }
    }

    /**
     * Writes queued frames while the connection takes them. Runs on a writer thread, or on the
     * container's thread that says the connection can take more; never concurrently with itself
     * (the subclass's write lock).
     */
    final void pump() {
        synchronized (writeLock()) {
            while (true) {
                Frame frame;
                synchronized (this) {
                    if (done.isDone()) {
                        pumping = false;
                        return;
                    }
                    if (!canWrite()) {
                        awaiting = true;
                        pumping = false;
                        return;
                    }
                    frame = queue.poll();
                    if (frame == null && flushed()) {
                        pumping = false;
                        if (ending) {
                            finish();
                        }
                        return;
                    }
                    if (frame != null) {
                        active = true;
                        // a catch-up waits for room
                        notifyAll();
                    }
                }
                try {
                    if (frame == null) {
                        flush();
                    } else {
                        write(frame.body());
                        if (frame.kind() != null) {
                            metrics.sent(transport, frame.kind());
                        }
                    }
                } catch (Exception e) {
                    gone();
                    return;
                }
            }
        }
    }

    /** The connection says it can take more. */
    final void writable() {
        synchronized (this) {
            awaiting = false;
            if (pumping) {
                return;
            }
            pumping = true;
        }
        pump();
    }

    /** The lock the writes hold; one writer at a time. */
    abstract Object writeLock();

    /** Whether a write may be started now; when false, the transport calls {@link #writable()}. */
    abstract boolean canWrite();

    /** Writes a frame without waiting. */
    abstract void write(Object body) throws Exception;

    /** Whether everything written has been handed to the connection. */
    abstract boolean flushed();

    /** Hands what was written to the connection, without waiting. */
    abstract void flush() throws Exception;

    /** The last frame was written: close the connection. */
    abstract void finish();

    /** A drop was queued: the transport may arm a deadline for a client that takes nothing. */
    abstract void afterDrop();

    abstract Object finalFrame(String reason, String detail);

    abstract Object heartbeatFrame();
}
