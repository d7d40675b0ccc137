package io.barcast.connectors.polygon.reader;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.connectors.polygon.PolygonMode;
import io.barcast.connectors.polygon.PolygonSettings;
import io.barcast.connectors.polygon.PolygonSourceOptions;
import io.barcast.connectors.polygon.enumerator.BudgetEvents;
import io.barcast.connectors.polygon.rest.AggregatesPage;
import io.barcast.connectors.polygon.rest.PolygonRestClient;
import io.barcast.connectors.polygon.split.PolygonSplit;
import io.barcast.core.Bar;
import io.barcast.core.DaemonThreads;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bars of its splits' symbols from Polygon.
 *
 * <p>REST: each symbol asks for the final bars after its position, a range of at most {@link
 * PolygonSettings#MAX_RANGE} at a time, following {@code next_url}; once caught up it checks again
 * every poll interval. WebSocket: a {@link LiveFeed} rolls the stream's minutes up to bars and REST
 * delivers everything before them, so a dropped connection leaves no gap.
 *
 * <p>Every request first gets a permit from the enumerator (one budget per job); grants are not
 * tied to a request, each goes to the oldest request waiting. All state is touched on the task
 * thread only: HTTP and WebSocket callbacks post their results to an inbox that {@link #pollNext}
 * drains. Two clocks: the market clock of the settings decides which bars are final, the wall clock
 * schedules retries and polls.
 */
public final class PolygonSourceReader implements SourceReader<IncomingBar, PolygonSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(PolygonSourceReader.class);
    private static final int MAX_EMIT_PER_POLL = 1_000;
    private static final int MAX_PAYLOAD = 8_192;

    /** Longest wait a {@code Retry-After} is honoured with. */
    private static final long MAX_RETRY_AFTER = Duration.ofHours(1).toMillis();

    /**
     * How long an empty stretch of recent bars stays open: Polygon may publish a bar later than the
     * delay and grace, so a range this close to the newest final bar is only taken as empty after
     * this long. Older empty stretches (no trades, a holiday) are passed over.
     */
    private static final long UNSETTLED = Duration.ofHours(1).toMillis();

    private final PolygonSettings settings;
    private final SourceReaderContext context;
    private final ObjectMapper mapper = Json.newMapper();
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final HttpClient http;
    private final PolygonRestClient rest;
    private final Backoff backoff;

    private final Map<String, SymbolFeed> feeds = new LinkedHashMap<>();
    private final Map<String, List<SymbolFeed>> splits = new LinkedHashMap<>();
    private final Map<String, SplitMetrics> metrics = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> awaitingPermit = new ArrayDeque<>();

    private volatile CompletableFuture<Void> available = new CompletableFuture<>();

    /** When the pending timer fires; the timer resets it before it wakes the reader. */
    private volatile long timerDueAt = Long.MAX_VALUE;

    private boolean noMoreSplits;
    private RuntimeException fatal;
    private LiveFeed live;

    public PolygonSourceReader(PolygonSettings settings, SourceReaderContext context) {
        this.settings = settings;
        this.context = context;
        this.io = Executors.newFixedThreadPool(2, DaemonThreads.named("barcast-polygon-io"));
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        DaemonThreads.named("barcast-polygon-timer"));
        this.http = PolygonRestClient.newHttpClient(settings.connectTimeout(), io);
        this.rest =
                new PolygonRestClient(
                        settings.restUrl(), settings.apiKey(), settings.requestTimeout(), http);
        this.backoff = new Backoff(settings.retryInitialBackoff(), settings.retryMaxBackoff());
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<PolygonSplit> added) {
        for (PolygonSplit split : added) {
            List<SymbolFeed> group = new ArrayList<>();
            split.positions()
                    .forEach(
                            (symbol, position) -> {
                                SymbolFeed feed = new SymbolFeed(symbol, split.splitId(), position);
                                feeds.put(symbol, feed);
                                group.add(feed);
                            });
            splits.put(split.splitId(), group);
            metrics.computeIfAbsent(
                    split.splitId(),
                    id ->
                            new SplitMetrics(
                                    context.metricGroup(),
                                    id,
                                    settings.clock(),
                                    Bar.INTERVAL_MILLIS));
            LOG.info(
                    "Polygon split {}: {} from {} ({})",
                    split.splitId(),
                    split.positions().keySet(),
                    Instant.ofEpochMilli(
                            split.positions().values().stream()
                                            .mapToLong(Long::longValue)
                                            .min()
                                            .orElse(0)
                                    + Bar.INTERVAL_MILLIS),
                    settings.mode().name().toLowerCase(Locale.ROOT));
        }
        if (settings.mode() == PolygonMode.WEBSOCKET && !feeds.isEmpty() && live == null) {
            live = new LiveFeed(settings, feeds, http, mapper, backoff, liveHost());
            live.start();
        }
        wake();
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        wake();
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof BudgetEvents.PermitGranted) {
            Runnable request = awaitingPermit.poll();
            if (request != null) {
                request.run();
            }
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<IncomingBar> output) {
        for (Runnable posted; (posted = inbox.poll()) != null; ) {
            posted.run();
        }
        if (fatal != null) {
            throw fatal;
        }
        long wallNow = System.currentTimeMillis();
        for (SymbolFeed feed : feeds.values()) {
            if (!feed.busy
                    && feed.nextAttemptAt <= wallNow
                    && feed.queue.size() < MAX_EMIT_PER_POLL) {
                poll(feed, wallNow);
            }
        }
        if (live != null) {
            live.onWake(wallNow);
        }
        int emitted = 0;
        boolean more = false;
        for (SymbolFeed feed : feeds.values()) {
            SymbolFeed.Item item;
            while (emitted < MAX_EMIT_PER_POLL && (item = feed.queue.poll()) != null) {
                emit(feed, item, output);
                emitted++;
            }
            more |= !feed.queue.isEmpty();
        }
        if (more || emitted > 0) {
            return InputStatus.MORE_AVAILABLE;
        }
        if (noMoreSplits && isFinished()) {
            return InputStatus.END_OF_INPUT;
        }
        CompletableFuture<Void> next = new CompletableFuture<>();
        available = next;
        scheduleWake(wallNow);
        if (!inbox.isEmpty()) {
            next.complete(null);
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void emit(SymbolFeed feed, SymbolFeed.Item item, ReaderOutput<IncomingBar> output) {
        IncomingBar bar = item.output();
        if (bar != null) {
            if (bar.isParsed()) {
                output.collect(bar, bar.bar().time());
                metrics.get(feed.splitId).emitted(bar.bar().time());
            } else {
                output.collect(bar);
            }
        }
        if (item.through() != SymbolFeed.Item.KEEP) {
            feed.position = Math.max(feed.position, item.through());
        }
    }

    /** A bounded run ends when every symbol has delivered its last bar. */
    private boolean isFinished() {
        if (settings.backfillTo() == null) {
            return false;
        }
        long last = lastBarOfRun();
        return feeds.values().stream().allMatch(f -> !f.busy && f.position >= last);
    }

    private long lastBarOfRun() {
        return Math.floorDiv(settings.backfillTo() - 1, Bar.INTERVAL_MILLIS) * Bar.INTERVAL_MILLIS;
    }

    // ---- REST ----------------------------------------------------------------------------

    /**
     * Asks for the next page or range of final bars, if there can be one: it passes over hours the
     * market was closed without a request.
     */
    private void poll(SymbolFeed feed, long wallNow) {
        if (feed.nextPage != null) {
            request(feed, feed.nextPage, feed.nextPageTo);
            return;
        }
        long limit = restLimit(feed);
        if (limit > feed.queuedThrough && !settings.extendedHours()) {
            long open =
                    feed.calendar.firstBarStartAtOrAfter(
                            feed.queuedThrough + Bar.INTERVAL_MILLIS, Bar.INTERVAL);
            if (open > limit) {
                feed.queueAdvance(limit);
            }
        }
        if (limit <= feed.queuedThrough) {
            if (!feed.caughtUp) {
                feed.caughtUp = true;
                LOG.info(
                        "Polygon {} caught up through {}; {}",
                        feed.symbol,
                        Instant.ofEpochMilli(feed.queuedThrough),
                        feed.restLimit == Long.MAX_VALUE
                                ? "checking every " + settings.pollInterval()
                                : "live from the WebSocket");
            }
            feed.nextAttemptAt = wallNow + settings.pollInterval().toMillis();
            return;
        }
        feed.caughtUp = false;
        long from = feed.queuedThrough + Bar.INTERVAL_MILLIS;
        long to =
                Math.min(limit, from + PolygonSettings.MAX_RANGE.toMillis() - Bar.INTERVAL_MILLIS);
        request(
                feed,
                rest.aggregatesUri(feed.symbol, (int) (Bar.INTERVAL_MILLIS / 60_000), from, to),
                to);
    }

    /** The newest bar REST may deliver for the feed now: final, before the stream's, in the run. */
    private long restLimit(SymbolFeed feed) {
        long limit =
                Math.min(
                        settings.newestFinalBar(settings.clock().millis()),
                        feed.restLimit - Bar.INTERVAL_MILLIS);
        return settings.backfillTo() == null ? limit : Math.min(limit, lastBarOfRun());
    }

    private void request(SymbolFeed feed, URI uri, long to) {
        feed.busy = true;
        awaitingPermit.add(
                () -> {
                    metrics.get(feed.splitId).requests.inc();
                    rest.get(uri)
                            .whenComplete(
                                    (answer, error) ->
                                            post(() -> answered(feed, uri, to, answer, error)));
                });
        context.sendSourceEventToCoordinator(new BudgetEvents.PermitRequest());
    }

    private void answered(
            SymbolFeed feed, URI uri, long to, PolygonRestClient.Answer answer, Throwable error) {
        feed.busy = false;
        String where = feed.symbol + " " + PolygonRestClient.describe(uri);
        if (error != null) {
            retry(feed, where, LiveStream.describe(error));
            return;
        }
        int status = answer.status();
        if (status == 200) {
            AggregatesPage page;
            try {
                page = AggregatesPage.parse(mapper, answer.body(), feed.symbol, origin(uri));
            } catch (IllegalArgumentException malformed) {
                deadLetter(uri, feed, answer.body(), malformed.getMessage());
                retry(feed, where, malformed.getMessage());
                return;
            }
            accept(feed, to, page);
        } else if (status == 429) {
            metrics.get(feed.splitId).rateLimited.inc();
            long wait = Backoff.retryAfterMillis(answer.retryAfter(), System.currentTimeMillis());
            wait =
                    wait < 0
                            ? backoff.delayMillis(feed.failures + 1)
                            : Math.min(wait, MAX_RETRY_AFTER);
            context.sendSourceEventToCoordinator(new BudgetEvents.RateLimited(wait));
            retryIn(feed, where, "HTTP 429 (rate limited)", wait);
        } else if (status == 401 || status == 403) {
            fatal =
                    new SuppressRestartsException(
                            new IllegalStateException(
                                    "Polygon refused the request (HTTP "
                                            + status
                                            + " for "
                                            + where
                                            + ": "
                                            + polygonMessage(answer.body())
                                            + "): check the API key in "
                                            + PolygonSourceOptions.API_KEY_ENV
                                            + " or the option "
                                            + PolygonSourceOptions.API_KEY.key()
                                            + ", and that the plan covers these symbols and "
                                            + PolygonSourceOptions.BACKFILL_FROM.key()));
        } else if (status >= 500 || status == 408) {
            retry(feed, where, "HTTP " + status);
        } else {
            // A request Polygon will not answer; start over from the last bar, after a while.
            feed.nextPage = null;
            deadLetter(uri, feed, answer.body(), "HTTP " + status + " from Polygon");
            retryIn(feed, where, "HTTP " + status, settings.pollInterval().toMillis());
        }
    }

    private void accept(SymbolFeed feed, long to, AggregatesPage page) {
        feed.failures = 0;
        feed.nextAttemptAt = 0;
        for (IncomingBar result : page.results()) {
            if (!result.isParsed()) {
                feed.queue.add(
                        SymbolFeed.Item.deadLetter(
                                IncomingBar.unparsable(
                                        result.origin(),
                                        scrubbed(result.payload()),
                                        result.problem())));
                continue;
            }
            long time = result.bar().time();
            if (time > feed.queuedThrough && time <= to) {
                feed.offer(result, time, settings.extendedHours());
            }
        }
        if (page.nextUrl() != null) {
            Optional<URI> next = rest.nextPage(page.nextUrl());
            if (next.isPresent()) {
                feed.nextPage = next.get();
                feed.nextPageTo = to;
                return;
            }
            LOG.warn(
                    "Polygon {}: next_url points to another server; not followed, asking again"
                            + " from the last bar",
                    feed.symbol);
            feed.nextPage = null;
            return;
        }
        feed.nextPage = null;
        long settled = settings.newestFinalBar(settings.clock().millis()) - UNSETTLED;
        feed.queueAdvance(Math.min(to, settled));
    }

    private void retry(SymbolFeed feed, String where, String why) {
        retryIn(feed, where, why, backoff.delayMillis(feed.failures + 1));
    }

    private void retryIn(SymbolFeed feed, String where, String why, long waitMillis) {
        feed.failures++;
        metrics.get(feed.splitId).retries.inc();
        feed.nextAttemptAt = System.currentTimeMillis() + waitMillis;
        LOG.warn(
                "Polygon request {} failed ({}); retry {} in {} ms",
                where,
                settings.apiKey().scrub(why),
                feed.failures,
                waitMillis);
    }

    private void deadLetter(URI uri, SymbolFeed feed, String body, String reason) {
        feed.queue.add(
                SymbolFeed.Item.deadLetter(
                        IncomingBar.unparsable(
                                origin(uri), scrubbed(body), settings.apiKey().scrub(reason))));
    }

    /** The text with the key removed, then cut to a size fit for a dead letter. */
    private String scrubbed(String text) {
        String clean = settings.apiKey().scrub(text == null ? "" : text);
        return clean.length() <= MAX_PAYLOAD ? clean : clean.substring(0, MAX_PAYLOAD) + "...";
    }

    /** Polygon's own words from an error body ({@code message} or {@code error}), scrubbed. */
    private String polygonMessage(String body) {
        try {
            var root = mapper.readTree(body == null ? "" : body);
            String message =
                    root.hasNonNull("message")
                            ? root.get("message").asText()
                            : root.path("error").asText("no message");
            return scrubbed(message);
        } catch (Exception unreadable) {
            return "no readable message";
        }
    }

    private static String origin(URI uri) {
        return "polygon:" + PolygonRestClient.describe(uri);
    }

    // ---- plumbing ----------------------------------------------------------------------

    private LiveFeed.Host liveHost() {
        return new LiveFeed.Host() {
            @Override
            public void post(Runnable action) {
                PolygonSourceReader.this.post(action);
            }

            @Override
            public void fail(RuntimeException error) {
                fatal = error;
            }
        };
    }

    private void post(Runnable action) {
        inbox.add(action);
        available.complete(null);
    }

    private void wake() {
        available.complete(null);
    }

    /**
     * Arms the timer for the earliest work due, unless a pending timer comes first. A timer that
     * fires resets {@code timerDueAt} before it completes {@code available}, so the poll it causes
     * always arms the next one.
     */
    private void scheduleWake(long wallNow) {
        long earliest = live == null ? Long.MAX_VALUE : live.reconnectAt();
        for (SymbolFeed feed : feeds.values()) {
            if (!feed.busy) {
                earliest = Math.min(earliest, feed.nextAttemptAt);
            }
        }
        if (live != null) {
            earliest =
                    Math.min(
                            earliest,
                            wallNow + Math.min(1_000, settings.pollInterval().toMillis()));
        }
        if (earliest == Long.MAX_VALUE || timerDueAt <= earliest) {
            return;
        }
        timerDueAt = earliest;
        timer.schedule(
                () -> {
                    timerDueAt = Long.MAX_VALUE;
                    available.complete(null);
                },
                Math.max(0, earliest - wallNow),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public List<PolygonSplit> snapshotState(long checkpointId) {
        List<PolygonSplit> state = new ArrayList<>(splits.size());
        splits.forEach(
                (id, group) -> {
                    Map<String, Long> positions = new LinkedHashMap<>();
                    for (SymbolFeed feed : group) {
                        positions.put(feed.symbol, feed.position);
                    }
                    state.add(new PolygonSplit(id, positions));
                });
        return state;
    }

    @Override
    public void close() {
        if (live != null) {
            live.close();
        }
        timer.shutdownNow();
        io.shutdownNow();
    }
}
