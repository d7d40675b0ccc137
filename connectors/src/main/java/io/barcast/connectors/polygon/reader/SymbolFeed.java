package io.barcast.connectors.polygon.reader;

import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.calendar.MarketCalendar;
import java.net.URI;
import java.util.ArrayDeque;

/**
 * One symbol's progress inside a reader. Only the reader's task thread touches it.
 *
 * <ul>
 *   <li>{@code position}: delivered through this bar start (what a checkpoint records);
 *   <li>{@code queuedThrough}: fetched and queued through this bar start;
 *   <li>{@code restLimit}: REST covers bar starts below it; above, the WebSocket does ({@code
 *       Long.MAX_VALUE} while there is no live stream).
 * </ul>
 */
final class SymbolFeed {

    /** A queued output: a bar or dead letter to emit, and the position it completes, if any. */
    record Item(IncomingBar output, long through) {
        static final long KEEP = Long.MIN_VALUE;

        static Item bar(IncomingBar bar, long time) {
            return new Item(bar, time);
        }

        static Item deadLetter(IncomingBar unparsable) {
            return new Item(unparsable, KEEP);
        }

        static Item advance(long through) {
            return new Item(null, through);
        }
    }

    final String symbol;
    final String splitId;
    final MarketCalendar calendar;
    final MinuteRollup rollup;
    final ArrayDeque<Item> queue = new ArrayDeque<>();

    long position;
    long queuedThrough;
    long restLimit = Long.MAX_VALUE;

    /** A request of this feed waits for its permit or its answer. */
    boolean busy;

    long nextAttemptAt;
    int failures;
    boolean caughtUp;

    /** The next page of a paged answer, and the end of the range it belongs to. */
    URI nextPage;

    long nextPageTo;

    SymbolFeed(String symbol, String splitId, long position) {
        this.symbol = symbol;
        this.splitId = splitId;
        this.calendar = MarketCalendar.forSymbol(symbol);
        this.rollup = new MinuteRollup(symbol);
        this.position = position;
        this.queuedThrough = position;
    }

    /**
     * Queues a final bar, or only its position when it lies outside the symbol's session (unless
     * {@code extendedHours}).
     */
    void offer(IncomingBar bar, long time, boolean extendedHours) {
        if (extendedHours || calendar.isBarStart(time, Bar.INTERVAL)) {
            queue.add(Item.bar(bar, time));
            queuedThrough = time;
        } else {
            queueAdvance(time);
        }
    }

    /** REST is done up to where the live stream takes over. */
    boolean restDone() {
        return restLimit != Long.MAX_VALUE && queuedThrough >= restLimit - Bar.INTERVAL_MILLIS;
    }

    void queueAdvance(long through) {
        if (through > queuedThrough) {
            queue.add(Item.advance(through));
            queuedThrough = through;
        }
    }
}
