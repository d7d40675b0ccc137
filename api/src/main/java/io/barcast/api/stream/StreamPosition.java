package io.barcast.api.stream;

import io.barcast.api.push.EventKind;
import java.util.Arrays;

/**
 * Where a stream stands in its topic: for each partition, the offset of the next record. Every
 * event's id is the position after it, as the instance's reader had it when it fanned the event
 * out, e.g. {@code prediction:0-124,1-57}; a client that reconnects with it as {@code
 * Last-Event-ID} is served from there, on any instance. Records are keyed by symbol, so a
 * partition's order is each of its symbols' order, and a position is exact: below it in every
 * partition the client has had everything it asked for, above it nothing. A partition the position
 * does not name is read from its beginning.
 */
public final class StreamPosition {

    /** Longer ids are not ours: a topic with a thousand partitions still fits. */
    private static final int MAX_CHARS = 16_384;

    private static final int MAX_PARTITIONS = 10_000;
    private static final long UNKNOWN = -1;

    private final long[] next;

    private StreamPosition(long[] next) {
        this.next = next;
    }

    /** A position that names no partition: every partition from its beginning. */
    public static StreamPosition none() {
        return new StreamPosition(new long[0]);
    }

    /** The next offset of {@code partition}, or -1 when this position does not name it. */
    public long next(int partition) {
        return partition < next.length ? next[partition] : UNKNOWN;
    }

    /** Partitions this position has room for (some may be unnamed). */
    public int width() {
        return next.length;
    }

    /** This position with {@code partition} at {@code offset}. */
    StreamPosition with(int partition, long offset) {
        long[] copy = Arrays.copyOf(next, Math.max(next.length, partition + 1));
        for (int i = next.length; i < copy.length; i++) {
            copy[i] = UNKNOWN;
        }
        copy[partition] = offset;
        return new StreamPosition(copy);
    }

    /** Partition by partition, the further of the two. */
    StreamPosition max(StreamPosition other) {
        long[] wider = Arrays.copyOf(next, Math.max(next.length, other.next.length));
        for (int i = 0; i < wider.length; i++) {
            wider[i] = Math.max(next(i), other.next(i));
        }
        return new StreamPosition(wider);
    }

    /** Whether this position is at or past {@code other} in every partition {@code other} names. */
    boolean covers(StreamPosition other) {
        for (int i = 0; i < other.next.length; i++) {
            if (other.next[i] > next(i)) {
                return false;
            }
        }
        return true;
    }

    /** The event id of this position on a stream of {@code kind}. */
    public String id(EventKind kind) {
        StringBuilder id = new StringBuilder(kind.label()).append(':');
        boolean first = true;
        for (int i = 0; i < next.length; i++) {
            if (next[i] >= 0) {
                id.append(first ? "" : ",").append(i).append('-').append(next[i]);
                first = false;
            }
        }
        return id.toString();
    }

    /**
     * The position of an event id of a stream of {@code kind}; an {@link IllegalArgumentException}
     * saying what is wrong when it is not one barcast gives on that stream.
     */
    public static StreamPosition parse(EventKind kind, String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_CHARS) {
            throw new IllegalArgumentException("is not an event id of this stream");
        }
        String prefix = kind.label() + ":";
        if (!id.startsWith(prefix)) {
            int colon = id.indexOf(':');
            throw new IllegalArgumentException(
                    colon > 0 && colon < 40
                            ? "is an id of another stream, not of the " + kind.label() + " stream"
                            : "is not an event id of this stream");
        }
        String body = id.substring(prefix.length());
        long[] next = new long[0];
        if (body.isEmpty()) {
            return new StreamPosition(next);
        }
        for (String part : body.split(",", -1)) {
            int dash = part.indexOf('-');
            int partition;
            long offset;
            try {
                partition = Integer.parseInt(part.substring(0, Math.max(dash, 0)));
                offset = Long.parseLong(part.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not an event id of this stream");
            }
            if (dash <= 0 || partition < 0 || partition >= MAX_PARTITIONS || offset < 0) {
                throw new IllegalArgumentException("is not an event id of this stream");
            }
            if (partition < next.length && next[partition] >= 0) {
                throw new IllegalArgumentException("names partition " + partition + " twice");
            }
            if (partition >= next.length) {
                int old = next.length;
                next = Arrays.copyOf(next, partition + 1);
                Arrays.fill(next, old, next.length, UNKNOWN);
            }
            next[partition] = offset;
        }
        return new StreamPosition(next);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof StreamPosition that)) {
            return false;
        }
        int width = Math.max(next.length, that.next.length);
        for (int i = 0; i < width; i++) {
            if (next(i) != that.next(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < next.length; i++) {
            if (next[i] >= 0) {
                hash = 31 * hash + Long.hashCode(next[i] * 31 + i);
            }
        }
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(next);
    }
}
