package io.barcast.api.stream;

import io.barcast.api.push.EventKind;
import java.nio.charset.StandardCharsets;

/**
 * One committed record of a stream's topic, as the reader fanned it out: its place in the topic,
 * its symbol (the record's key), the record's JSON exactly as the job committed it, and the
 * position after it. Its frames for each transport are built once and shared by every client that
 * gets the event under the shared id.
 */
final class StreamEvent {

    final EventKind kind;
    final int partition;
    final long offset;
    final String symbol;
    final String record;
    final StreamPosition after;

    private volatile byte[] sse;
    private volatile String ws;

    StreamEvent(
            EventKind kind,
            int partition,
            long offset,
            String symbol,
            String record,
            StreamPosition after) {
        this.kind = kind;
        this.partition = partition;
        this.offset = offset;
        this.symbol = symbol;
        this.record = record;
        this.after = after;
    }

    /** The server-sent event under the shared id; built by the first client that needs it. */
    byte[] sse() {
        byte[] frame = sse;
        if (frame == null) {
            frame = sse(after);
            sse = frame;
        }
        return frame;
    }

    /** The server-sent event under another id (a client ahead of this instance's reader). */
    byte[] sse(StreamPosition position) {
        return Frames.sse(kind.label(), position.id(kind), record);
    }

    /** The WebSocket message: {@code {"type":"event","kind":...,"id":...,"record":{...}}}. */
    String ws() {
        String message = ws;
        if (message == null) {
            message =
                    "{\"type\":\"event\",\"kind\":\""
                            + kind.label()
                            + "\",\"id\":\""
                            + after.id(kind)
                            + "\",\"record\":"
                            + record
                            + "}";
            ws = message;
        }
        return message;
    }

    /** The frames of the two transports. */
    static final class Frames {

        static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

        private Frames() {}

        /**
         * {@code event:}, {@code id:} and one {@code data:} line per line of {@code data} (the
         * job's JSON has none, but a line break must not end the event early).
         */
        static byte[] sse(String event, String id, String data) {
            StringBuilder frame = new StringBuilder(data.length() + 64);
            frame.append("event: ").append(event).append('\n');
            if (id != null) {
                frame.append("id: ").append(id).append('\n');
            }
            int start = 0;
            for (int i = 0; i <= data.length(); i++) {
                if (i == data.length() || data.charAt(i) == '\n' || data.charAt(i) == '\r') {
                    frame.append("data: ").append(data, start, i).append('\n');
                    if (i + 1 < data.length()
                            && data.charAt(i) == '\r'
                            && data.charAt(i + 1) == '\n') {
                        i++;
                    }
                    start = i + 1;
                }
            }
            return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
