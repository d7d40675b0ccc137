package io.barcast.connectors.polygon.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.barcast.core.Bar;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Polygon.io's aggregates REST API ({@code GET
 * /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}}), speaking Polygon's JSON.
 *
 * <p>Serves 1-minute bars and 15-minute bars (stored directly or rolled up from minutes), only once
 * their window has closed on the given clock; bars closed less than {@link #revisionWindow} ago
 * come in a "preliminary" form with other values. Supports pagination via {@code next_url},
 * authentication by header or {@code apiKey}, a per-minute rate limit, queued faults and records
 * every request.
 */
public final class PolygonRestServer implements AutoCloseable {

    /** Default and Polygon's maximum number of results per response. */
    public static final int DEFAULT_PAGE_SIZE = 50_000;

    private static final long MINUTE = 60_000;
    private static final long FIFTEEN_MINUTES = 900_000;
    private static final long DAY = 86_400_000;
    private static final int THREADS = 8;
    private static final Pattern AGGREGATES =
            Pattern.compile("^/v2/aggs/ticker/([^/]+)/range/([^/]+)/([^/]+)/([^/]+)/([^/]+)/?$");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final String RATE_LIMIT_MESSAGE =
            "You've exceeded the maximum requests per minute, please wait or upgrade your"
                    + " subscription to continue. https://polygon.io/pricing";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;

    private final Map<String, NavigableMap<Long, Bar>> minutes = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Long, Bar>> quarters = new ConcurrentHashMap<>();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Recorded> recorded = new ArrayList<>();
    private final ArrayDeque<Long> admitted = new ArrayDeque<>();

    private volatile Duration revisionWindow = Duration.ZERO;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<Long, Long> latePublication = new ConcurrentHashMap<>();
    private volatile int pageSize = DEFAULT_PAGE_SIZE;
    private volatile int limitPerMinute;

    private PolygonRestServer(String apiKey, Clock clock) throws IOException {
        this.apiKey = apiKey;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger threads = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        THREADS,
                        task -> {
                            Thread thread =
                                    new Thread(task, "polygon-rest-" + threads.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on an ephemeral port of 127.0.0.1 that accepts {@code apiKey}. */
    public static PolygonRestServer start(String apiKey, Clock clock) {
        try {
            return new PolygonRestServer(apiKey, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:54321} (no trailing slash). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- data

    /** Stores 1-minute bars of {@code symbol} (a later bar with the same start replaces one). */
    public void addMinutes(String symbol, List<Bar> bars) {
        store(minutes, symbol, bars);
    }

    /** Stores ready 15-minute bars of {@code symbol}; they win over bars rolled up from minutes. */
    public void add15MinuteBars(String symbol, List<Bar> bars) {
        store(quarters, symbol, bars);
    }

    private static void store(
            Map<String, NavigableMap<Long, Bar>> target, String symbol, List<Bar> bars) {
        NavigableMap<Long, Bar> series =
                target.computeIfAbsent(symbol, s -> new ConcurrentSkipListMap<>());
        for (Bar bar : bars) {
            series.put(bar.time(), withVwapAndTrades(bar.withSymbol(symbol)));
        }
    }

    /**
     * The bar with the values the server fills in when they are missing: {@code vw = (h + l + c) /
     * 3} and {@code n = 1 + round(v)}.
     */
    public static Bar withVwapAndTrades(Bar bar) {
        double vwap = bar.vwap() != null ? bar.vwap() : (bar.high() + bar.low() + bar.close()) / 3;
        long trades = bar.trades() != null ? bar.trades() : 1 + Math.round(bar.volume());
        return new Bar(
                bar.symbol(),
                bar.time(),
                bar.open(),
                bar.high(),
                bar.low(),
                bar.close(),
                bar.volume(),
                vwap,
                trades);
    }

    /**
     * Rolls 1-minute bars up onto the 15-minute grid as the server does: open of the first, close
     * of the last, high/low over the bucket, volumes and trade counts summed, VWAP weighted by
     * volume (the plain mean if the bucket has no volume). Missing vw/n are filled first.
     */
    public static List<Bar> rollUp15(List<Bar> minuteBars) {
        List<Bar> sorted = new ArrayList<>(minuteBars);
        sorted.sort(Comparator.comparingLong(Bar::time));
        Map<Long, List<Bar>> buckets = new TreeMap<>();
        for (Bar bar : sorted) {
            long bucket = Math.floorDiv(bar.time(), FIFTEEN_MINUTES) * FIFTEEN_MINUTES;
            buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(withVwapAndTrades(bar));
        }
        List<Bar> rolled = new ArrayList<>(buckets.size());
        buckets.forEach((bucket, parts) -> rolled.add(combine(bucket, parts)));
        return rolled;
    }

    private static Bar combine(long bucket, List<Bar> parts) {
        Bar first = parts.get(0);
        double high = first.high();
        double low = first.low();
        double volume = 0;
        double weighted = 0;
        double vwapSum = 0;
        long trades = 0;
        for (Bar part : parts) {
            high = Math.max(high, part.high());
            low = Math.min(low, part.low());
            volume += part.volume();
            weighted += part.vwap() * part.volume();
            vwapSum += part.vwap();
            trades += part.trades();
        }
        double vwap = volume == 0 ? vwapSum / parts.size() : weighted / volume;
        Bar last = parts.get(parts.size() - 1);
        return new Bar(
                first.symbol(),
                bucket,
                first.open(),
                high,
                low,
                last.close(),
                volume,
                vwap,
                trades);
    }

    // ---------------------------------------------------------------- behaviour

    /**
     * Bars whose window closed less than this long ago are served in a preliminary form (close and
     * high times 1.001, volume times 0.9). Default zero.
     */
    public void revisionWindow(Duration window) {
        this.revisionWindow = window;
    }

    /**
     * Publishes the bars starting at {@code barStart} (of every symbol) {@code late} after their
     * window closed, as Polygon sometimes does: until then they are missing from every answer.
     */
    public void publishLate(long barStart, Duration late) {
        latePublication.put(barStart, late.toMillis());
    }

    /** The most results per response (default {@value #DEFAULT_PAGE_SIZE}). */
    public void pageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be positive: " + size);
        }
        this.pageSize = size;
    }

    /** Answers 429 to a request beyond {@code n} admitted ones in the trailing 60 s; 0 = off. */
    public void limitPerMinute(int n) {
        synchronized (admitted) {
            this.limitPerMinute = n;
            admitted.clear();
        }
    }

    /** Queues faults; each of the next requests, in order, consumes one. */
    public void enqueue(Fault... next) {
        faults.addAll(List.of(next));
    }

    // ---------------------------------------------------------------- recording

    /**
     * One received request. {@code status} is 0 while it is still being answered and for a dropped
     * connection (no complete response).
     */
    public record Recorded(
            long receivedAtMillis,
            String method,
            String path,
            String query,
            String authorization,
            int status) {

        Recorded withStatus(int newStatus) {
            return new Recorded(receivedAtMillis, method, path, query, authorization, newStatus);
        }
    }

    /** The requests received so far, in order of arrival. */
    public List<Recorded> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The number of requests received so far. */
    public int count() {
        synchronized (recorded) {
            return recorded.size();
        }
    }

    /** The most requests received within any half-open window {@code [t, t + window)}. */
    public int maxInAnyWindow(Duration window) {
        long length = window.toMillis();
        long[] times = requests().stream().mapToLong(Recorded::receivedAtMillis).sorted().toArray();
        int most = 0;
        int end = 0;
        for (int start = 0; start < times.length; start++) {
            while (end < times.length && times[end] < times[start] + length) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    // ---------------------------------------------------------------- faults

    /** A misbehaviour of the server for one request, queued with {@link #enqueue}. */
    public static final class Fault {

        private enum Kind {
            TOO_MANY_REQUESTS,
            SERVER_ERROR,
            SLOW,
            MALFORMED_BODY,
            DROP_CONNECTION,
            DROP_AFTER_HEADERS
        }

        private final Kind kind;
        private final Integer retryAfterSeconds;
        private final Duration delay;

        private Fault(Kind kind, Integer retryAfterSeconds, Duration delay) {
            this.kind = kind;
            this.retryAfterSeconds = retryAfterSeconds;
            this.delay = delay;
        }

        /** HTTP 429 as Polygon's rate limit, with a {@code Retry-After} header unless null. */
        public static Fault tooManyRequests(Integer retryAfterSeconds) {
            return new Fault(Kind.TOO_MANY_REQUESTS, retryAfterSeconds, null);
        }

        /** HTTP 500 with Polygon's error body. */
        public static Fault serverError() {
            return new Fault(Kind.SERVER_ERROR, null, null);
        }

        /** Waits {@code delay}, then answers normally. */
        public static Fault slow(Duration delay) {
            return new Fault(Kind.SLOW, null, delay);
        }

        /** The normal response with its JSON body cut in the middle. */
        public static Fault malformedBody() {
            return new Fault(Kind.MALFORMED_BODY, null, null);
        }

        /**
         * Closes the connection without sending any response. Note that the JDK's {@code
         * HttpClient} silently retries a GET once when a connection closes before any byte arrives,
         * so with it one such fault costs two requests and is not seen by the caller; use {@link
         * #dropAfterHeaders()} (or queue two) to make the caller see an {@code IOException}.
         */
        public static Fault dropConnection() {
            return new Fault(Kind.DROP_CONNECTION, null, null);
        }

        /**
         * Sends the normal response headers, then closes the connection before the body: every
         * client sees an {@code IOException} while reading the body, and none retries it silently.
         */
        public static Fault dropAfterHeaders() {
            return new Fault(Kind.DROP_AFTER_HEADERS, null, null);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case TOO_MANY_REQUESTS -> "tooManyRequests(" + retryAfterSeconds + ")";
                case SERVER_ERROR -> "serverError()";
                case SLOW -> "slow(" + delay + ")";
                case MALFORMED_BODY -> "malformedBody()";
                case DROP_CONNECTION -> "dropConnection()";
                case DROP_AFTER_HEADERS -> "dropAfterHeaders()";
            };
        }
    }

    // ---------------------------------------------------------------- HTTP

    private record Response(int status, String body, Integer retryAfterSeconds) {

        static Response json(int status, ObjectNode body) {
            return new Response(status, body.toString(), null);
        }

        Response truncated() {
            return new Response(status, body.substring(0, body.length() / 2), retryAfterSeconds);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        int slot = record(exchange);
        try {
            Fault fault = faults.poll();
            Fault.Kind kind = fault == null ? null : fault.kind;
            if (kind == Fault.Kind.DROP_CONNECTION) {
                // Closing before any response headers makes the JDK server close the socket.
                return;
            }
            if (kind == Fault.Kind.SLOW && !pause(fault.delay)) {
                return;
            }
            Response response;
            if (kind == Fault.Kind.TOO_MANY_REQUESTS) {
                response = tooManyRequests(fault.retryAfterSeconds);
            } else if (kind == Fault.Kind.SERVER_ERROR) {
                response = error(500, "ERROR", "error", "Internal server error");
            } else {
                response = answerSafely(exchange);
            }
            if (kind == Fault.Kind.MALFORMED_BODY) {
                response = response.truncated();
            }
            if (kind == Fault.Kind.DROP_AFTER_HEADERS) {
                // Closing with body bytes still owed makes the JDK server close the socket.
                sendHeaders(exchange, response);
                return;
            }
            // Recorded before the body goes out, so a client that has the answer sees the record.
            updateStatus(slot, response.status());
            send(exchange, response);
        } finally {
            exchange.close();
        }
    }

    private int record(HttpExchange exchange) {
        Recorded request =
                new Recorded(
                        System.currentTimeMillis(),
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        0);
        synchronized (recorded) {
            recorded.add(request);
            return recorded.size() - 1;
        }
    }

    private void updateStatus(int slot, int status) {
        synchronized (recorded) {
            recorded.set(slot, recorded.get(slot).withStatus(status));
        }
    }

    /** Holds a slow answer back for {@code delay}; false when the server closes meanwhile. */
    private boolean pause(Duration delay) {
        try {
            return !closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = sendHeaders(exchange, response);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Sends the status line and headers; returns the body still to be written. */
    private static byte[] sendHeaders(HttpExchange exchange, Response response) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (response.retryAfterSeconds() != null) {
            exchange.getResponseHeaders()
                    .set("Retry-After", Integer.toString(response.retryAfterSeconds()));
        }
        exchange.sendResponseHeaders(response.status(), body.length);
        return body;
    }

    private Response answerSafely(HttpExchange exchange) {
        try {
            return answer(exchange);
        } catch (RuntimeException e) {
            return error(500, "ERROR", "error", "Test server failure: " + e);
        }
    }

    private Response answer(HttpExchange exchange) {
        Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
        if (!authorized(exchange, query)) {
            return error(401, "NOT_AUTHORIZED", "message", "Unknown API Key");
        }
        if (!admit()) {
            return tooManyRequests(null);
        }
        Matcher path = AGGREGATES.matcher(exchange.getRequestURI().getRawPath());
        if (!"GET".equals(exchange.getRequestMethod()) || !path.matches()) {
            return error(404, "NOT_FOUND", "message", "Not found");
        }
        return aggregates(path, query);
    }

    private boolean authorized(HttpExchange exchange, Map<String, String> query) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return ("Bearer " + apiKey).equals(header) || apiKey.equals(query.get("apiKey"));
    }

    private boolean admit() {
        synchronized (admitted) {
            if (limitPerMinute <= 0) {
                return true;
            }
            long now = System.currentTimeMillis();
            while (!admitted.isEmpty() && admitted.peekFirst() <= now - MINUTE) {
                admitted.pollFirst();
            }
            if (admitted.size() >= limitPerMinute) {
                return false;
            }
            admitted.addLast(now);
            return true;
        }
    }

    private Response aggregates(Matcher path, Map<String, String> query) {
        String rawTicker = path.group(1);
        String ticker = decode(rawTicker);
        String multiplier = path.group(2);
        String timespan = path.group(3);
        String fromText = path.group(4);
        String toText = path.group(5);

        long length;
        if (multiplier.equals("1") && timespan.equals("minute")) {
            length = MINUTE;
        } else if (multiplier.equals("15") && timespan.equals("minute")) {
            length = FIFTEEN_MINUTES;
        } else {
            return error(
                    400,
                    "ERROR",
                    "error",
                    "Unsupported range " + multiplier + "/" + timespan + " (test server)");
        }
        Long from = parseTime(fromText, false);
        if (from == null) {
            return badTime("from");
        }
        Long to = parseTime(toText, true);
        if (to == null) {
            return badTime("to");
        }

        Map<String, String> params =
                query.containsKey("cursor") ? decodeCursor(query.get("cursor")) : query;
        Integer offset = parseCount(params.getOrDefault("offset", "0"));
        Integer limit = parseCount(params.getOrDefault("limit", Integer.toString(pageSize)));
        if (offset == null || limit == null || limit < 1) {
            return error(400, "ERROR", "error", "Invalid cursor or limit");
        }
        String sort = params.getOrDefault("sort", "asc");
        boolean adjusted = !"false".equals(params.get("adjusted"));

        List<Bar> matching = servedBars(ticker, length, from, to);
        if (sort.equals("desc")) {
            Collections.reverse(matching);
        }
        int size = Math.min(pageSize, limit);
        int end = Math.min(matching.size(), offset + size);
        List<Bar> page = matching.subList(Math.min(offset, end), end);

        ObjectNode body = JSON.createObjectNode();
        body.put("ticker", ticker);
        body.put("queryCount", page.size());
        body.put("resultsCount", page.size());
        body.put("adjusted", adjusted);
        if (!page.isEmpty()) {
            ArrayNode results = body.putArray("results");
            for (Bar bar : page) {
                results.addObject()
                        .put("v", bar.volume())
                        .put("vw", bar.vwap())
                        .put("o", bar.open())
                        .put("c", bar.close())
                        .put("h", bar.high())
                        .put("l", bar.low())
                        .put("t", bar.time())
                        .put("n", bar.trades());
            }
        }
        body.put("status", "OK");
        body.put("request_id", requestId());
        body.put("count", page.size());
        if (end < matching.size()) {
            String cursor =
                    encodeCursor(
                            String.format(
                                    "offset=%d&limit=%d&sort=%s&adjusted=%b",
                                    end, limit, sort, adjusted));
            String range = String.join("/", multiplier, timespan, fromText, toText);
            String next = "/v2/aggs/ticker/" + rawTicker + "/range/" + range + "?cursor=" + cursor;
            body.put("next_url", url() + next);
        }
        return Response.json(200, body);
    }

    /** Bars of the ticker starting in [from, to] whose window has closed, in time order. */
    private List<Bar> servedBars(String ticker, long length, long from, long to) {
        NavigableMap<Long, Bar> series = new TreeMap<>();
        NavigableMap<Long, Bar> stored =
                minutes.getOrDefault(ticker, Collections.emptyNavigableMap());
        if (length == MINUTE) {
            series.putAll(stored);
        } else {
            for (Bar bar : rollUp15(new ArrayList<>(stored.values()))) {
                series.put(bar.time(), bar);
            }
            series.putAll(quarters.getOrDefault(ticker, Collections.emptyNavigableMap()));
        }
        long now = clock.millis();
        long revision = revisionWindow.toMillis();
        List<Bar> served = new ArrayList<>();
        for (Bar bar : series.subMap(from, true, to, true).values()) {
            long closedAt = bar.time() + length;
            if (closedAt + latePublication.getOrDefault(bar.time(), 0L) > now) {
                continue;
            }
            served.add(now - closedAt < revision ? preliminary(bar) : bar);
        }
        return served;
    }

    /** The bar as Polygon might first publish it, before late trades are counted. */
    private static Bar preliminary(Bar bar) {
        double close = bar.close() * 1.001;
        double high = Math.max(bar.high() * 1.001, Math.max(bar.open(), close));
        return new Bar(
                bar.symbol(),
                bar.time(),
                bar.open(),
                high,
                bar.low(),
                close,
                bar.volume() * 0.9,
                bar.vwap(),
                bar.trades());
    }

    private static Long parseTime(String text, boolean endOfDay) {
        if (DIGITS.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        try {
            long day =
                    LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            return endOfDay ? day + DAY - 1 : day;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer parseCount(String text) {
        return DIGITS.matcher(text).matches() && text.length() < 10 ? Integer.valueOf(text) : null;
    }

    private static Response badTime(String parameter) {
        return error(
                400,
                "ERROR",
                "error",
                "Could not parse the time parameter: '"
                        + parameter
                        + "'. Use YYYY-MM-DD or Unix MS Timestamps");
    }

    private static Response tooManyRequests(Integer retryAfterSeconds) {
        Response response = error(429, "ERROR", "error", RATE_LIMIT_MESSAGE);
        return new Response(response.status(), response.body(), retryAfterSeconds);
    }

    private static Response error(int status, String state, String field, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", state);
        body.put("request_id", requestId());
        body.put(field, text);
        return Response.json(status, body);
    }

    private static String requestId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String encodeCursor(String state) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(state.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> decodeCursor(String cursor) {
        try {
            byte[] state = Base64.getUrlDecoder().decode(cursor);
            return parseQuery(new String(state, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals < 0) {
                params.put(decode(pair), "");
            } else {
                params.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
            }
        }
        return params;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
