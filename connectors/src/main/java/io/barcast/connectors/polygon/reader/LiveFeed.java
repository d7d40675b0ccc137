package io.barcast.connectors.polygon.reader;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.connectors.polygon.PolygonSettings;
import io.barcast.connectors.polygon.PolygonSourceOptions;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of a reader: one {@link LiveStream} for all its symbols, reconnected with
 * backoff when lost, and the hand-over between REST and the stream.
 *
 * <p>A symbol's first minute on a connection sets its {@code restLimit}: the next bar boundary.
 * REST delivers everything before it (the backfill, or what a reconnect missed); the stream's bars
 * from there on wait until REST is done. A lost connection sets every {@code restLimit} back, so
 * REST polls as in REST mode until the next connection delivers. Only the reader's task thread
 * calls this class; the stream's callbacks come through the reader's inbox.
 */
final class LiveFeed {

    /** What the feed needs from its reader. */
    interface Host {
        /** Runs {@code action} on the task thread. */
        void post(Runnable action);

        /** Stops the reader with {@code error}. */
        void fail(RuntimeException error);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    private static final long MINUTE = 60_000;

    /** Market time without a minute after which bars are finished by the clock, not the feed. */
    private static final long IDLE = 5 * MINUTE;

    /** Live bars a symbol may hold while REST catches up; more, and REST takes over entirely. */
    private static final int MAX_HELD_BARS = 96;

    private static final int MAX_PAYLOAD = 8_192;

    private final PolygonSettings settings;
    private final Map<String, SymbolFeed> feeds;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Backoff backoff;
    private final Host host;

    private LiveStream stream;
    private long feedTime = Long.MIN_VALUE;
    private long lastMinuteAt = Long.MIN_VALUE;
    private int failures;
    private long reconnectAt = Long.MAX_VALUE;

    LiveFeed(
            PolygonSettings settings,
            Map<String, SymbolFeed> feeds,
            HttpClient http,
            ObjectMapper mapper,
            Backoff backoff,
            Host host) {
        this.settings = settings;
        this.feeds = feeds;
        this.http = http;
        this.mapper = mapper;
        this.backoff = backoff;
        this.host = host;
    }

    void start() {
        connect();
    }

    /** Wall-clock time of the next reconnect, or {@code Long.MAX_VALUE}. */
    long reconnectAt() {
        return reconnectAt;
    }

    /** On every wake-up: reconnects when due, pings, and queues the bars that became final. */
    void onWake(long wallNow) {
        if (reconnectAt <= wallNow) {
            reconnectAt = Long.MAX_VALUE;
            connect();
        }
        stream.keepAlive(wallNow, settings.heartbeat().toMillis());
        release();
    }

    void close() {
        if (stream != null) {
            stream.close();
        }
    }

    private void connect() {
        LiveStream next =
                new LiveStream(
                        settings.wsUrl(),
                        settings.apiKey(),
                        List.copyOf(feeds.keySet()),
                        settings.connectTimeout(),
                        http,
                        mapper,
                        settings.clock(),
                        new LiveStream.Events() {
                            @Override
                            public void minutes(
                                    LiveStream from,
                                    List<MinuteBar> minutes,
                                    List<String> unreadable) {
                                host.post(() -> received(from, minutes, unreadable));
                            }

                            @Override
                            public void lost(LiveStream from, String why) {
                                host.post(() -> LiveFeed.this.lost(from, why));
                            }

                            @Override
                            public void refused(LiveStream from, String why) {
                                host.post(() -> host.fail(refusal(why)));
                            }
                        });
        stream = next;
        next.connect();
    }

    private void received(LiveStream from, List<MinuteBar> minutes, List<String> unreadable) {
        if (from != stream) {
            return;
        }
        SymbolFeed first = feeds.values().iterator().next();
        for (String text : unreadable) {
            first.queue.add(
                    SymbolFeed.Item.deadLetter(
                            IncomingBar.unparsable(
                                    "polygon:websocket",
                                    capped(settings.apiKey().scrub(text)),
                                    "unreadable WebSocket message")));
        }
        for (MinuteBar minute : minutes) {
            failures = 0;
            feedTime = Math.max(feedTime, minute.end());
            lastMinuteAt = settings.clock().millis();
            SymbolFeed feed = feeds.get(minute.symbol());
            if (feed != null) {
                take(feed, minute);
            }
        }
    }

    private void take(SymbolFeed feed, MinuteBar minute) {
        if (feed.restLimit == Long.MAX_VALUE) {
            // Its first minute on this connection; earlier ones of this bar may have been missed.
            feed.restLimit =
                    MinuteRollup.bucketOf(Math.max(minute.start(), feedTime - MINUTE))
                            + Bar.INTERVAL_MILLIS;
            LOG.info(
                    "Polygon {} live from the WebSocket for bars from {}",
                    feed.symbol,
                    Instant.ofEpochMilli(feed.restLimit));
        }
        long bucket = MinuteRollup.bucketOf(minute.start());
        if (bucket < feed.restLimit) {
            return;
        }
        if (bucket <= feed.queuedThrough) {
            feed.queue.add(
                    SymbolFeed.Item.deadLetter(
                            IncomingBar.unparsable(
                                    "polygon:websocket",
                                    minute.toString(),
                                    "minute aggregate arrived after its bar at "
                                            + Instant.ofEpochMilli(bucket)
                                            + " was delivered (later than the revision grace)")));
            return;
        }
        feed.rollup.add(minute);
        if (feed.rollup.size() > MAX_HELD_BARS) {
            LOG.warn(
                    "Polygon {}: REST is {} bars behind the WebSocket; REST takes over",
                    feed.symbol,
                    feed.rollup.size());
            feed.rollup.clear();
            feed.restLimit = Long.MAX_VALUE;
        }
    }

    /**
     * Queues the live bars that are final once REST has delivered everything before them. Final
     * means the feed has moved past the bar's end by the grace period. When no minute has come for
     * a while (a closed market, the last bar of a session), the clock decides instead, but only up
     * to when the server was last heard: a connection gone silent must not finish a bar whose
     * minutes it swallowed.
     */
    private void release() {
        long grace = settings.revisionGrace().toMillis();
        long finalBefore = feedTime == Long.MIN_VALUE ? Long.MIN_VALUE : feedTime - grace;
        long marketNow = settings.clock().millis();
        long heardAt = stream.lastHeardMarket();
        if (lastMinuteAt != Long.MIN_VALUE
                && heardAt != Long.MIN_VALUE
                && marketNow - lastMinuteAt > IDLE) {
            long heard = Math.min(marketNow, heardAt);
            finalBefore = Math.max(finalBefore, heard - settings.delay().toMillis() - grace);
        }
        for (SymbolFeed feed : feeds.values()) {
            if (!feed.restDone()) {
                continue;
            }
            for (Bar bar; (bar = feed.rollup.pollFinal(finalBefore)) != null; ) {
                if (bar.time() > feed.queuedThrough) {
                    feed.offer(
                            IncomingBar.parsed("polygon:websocket", bar),
                            bar.time(),
                            settings.extendedHours());
                }
            }
        }
    }

    private void lost(LiveStream from, String why) {
        if (from != stream) {
            return;
        }
        for (SymbolFeed feed : feeds.values()) {
            feed.restLimit = Long.MAX_VALUE;
            feed.rollup.clear();
            feed.caughtUp = false;
        }
        failures++;
        long wait = backoff.delayMillis(failures);
        reconnectAt = System.currentTimeMillis() + wait;
        LOG.warn("Polygon WebSocket lost ({}); REST takes over, reconnecting in {} ms", why, wait);
    }

    private static RuntimeException refusal(String why) {
        return new SuppressRestartsException(
                new IllegalStateException(
                        "Polygon's WebSocket refused the API key ("
                                + why
                                + "): set a valid key in "
                                + PolygonSourceOptions.API_KEY_ENV
                                + " or the option "
                                + PolygonSourceOptions.API_KEY.key()));
    }

    private static String capped(String text) {
        return text.length() <= MAX_PAYLOAD ? text : text.substring(0, MAX_PAYLOAD) + "...";
    }
}
