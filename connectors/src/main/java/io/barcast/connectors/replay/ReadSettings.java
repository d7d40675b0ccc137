package io.barcast.connectors.replay;

import io.barcast.core.IncomingBar;
import java.io.Serializable;

/**
 * How bar files are read: the longest line taken, and the event-time window {@code [fromTime,
 * toTime)} of the bars kept (what cannot be parsed has no time and is always kept).
 */
record ReadSettings(int maxLineBytes, long fromTime, long toTime) implements Serializable {

    /** 1 MiB: thousands of times a bar's line, small enough to hold a few of at once. */
    static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    static final ReadSettings DEFAULTS =
            new ReadSettings(DEFAULT_MAX_LINE_BYTES, Long.MIN_VALUE, Long.MAX_VALUE);

    boolean keeps(IncomingBar incoming) {
        return !incoming.isParsed()
                || (incoming.bar().time() >= fromTime && incoming.bar().time() < toTime);
    }
}
