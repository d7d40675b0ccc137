package io.barcast.connectors.replay;

import io.barcast.core.IncomingBar;

/**
 * What one line (or one result of an aggregates response) of a bar file holds, and where it starts:
 * reading again from {@code offset} at line {@code line} reads it again.
 *
 * @param bytes its size in the file, to bound what is held at once
 */
record FileRecord(IncomingBar incoming, long offset, long line, long bytes) {

    /** Its event time; what could not be parsed has none and sorts first. */
    long time() {
        return incoming.isParsed() ? incoming.bar().time() : Long.MIN_VALUE;
    }
}
