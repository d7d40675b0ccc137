package io.barcast.connectors.polygon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.connectors.polygon.testing.PolygonRestServer.Fault;
import io.barcast.connectors.polygon.testing.PolygonRestServer.Recorded;
import io.barcast.core.Bar;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PolygonTestServersTest {

    private static final String KEY = "test-key-123";
    private static final long MINUTE = 60_000;
    private static final long START = Instant.parse("2023-03-13T13:30:00Z").toEpochMilli();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void rollsUpMinutesAndPagesWithNextUrl() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(START + 50 * MINUTE), ZoneOffset.UTC);
        List<Bar> minutes = minutes("AAPL", START, 50);
        // Buckets at +0, +15 and +30 min have closed; the one at +45 is still open.
        List<Bar> expected = PolygonRestServer.rollUp15(minutes).subList(0, 3);
        try (PolygonRestServer server = PolygonRestServer.start(KEY, clock)) {
            server.addMinutes("AAPL", minutes);
            server.pageSize(2);

            String path = "/v2/aggs/ticker/AAPL/range/15/minute/2023-03-13/2023-03-13";
            JsonNode first = getJson(server.url() + path + "?adjusted=true&sort=asc&limit=50000");
            assertThat(fieldNames(first))
                    .containsExactly(
                            "ticker",
                            "queryCount",
                            "resultsCount",
                            "adjusted",
                            "results",
                            "status",
                            "request_id",
                            "count",
                            "next_url");
            assertThat(first.get("resultsCount").asInt()).isEqualTo(2);
            assertThat(bars("AAPL", first)).isEqualTo(expected.subList(0, 2));

            String nextUrl = first.get("next_url").asText();
            assertThat(nextUrl).startsWith(server.url() + path + "?cursor=");
            assertThat(nextUrl).doesNotContain(KEY).doesNotContain("apiKey");

            JsonNode second = getJson(nextUrl);
            assertThat(bars("AAPL", second)).isEqualTo(expected.subList(2, 3));
            assertThat(second.has("next_url")).isFalse();

            Bar rolled = expected.get(0);
            assertThat(rolled.open()).isEqualTo(minutes.get(0).open());
            assertThat(rolled.close()).isEqualTo(minutes.get(14).close());
            assertThat(rolled.volume())
                    .isCloseTo(
                            minutes.subList(0, 15).stream().mapToDouble(Bar::volume).sum(),
                            within(1e-9));

            // The last closed bar is 5 minutes old: inside a 10-minute revision window.
            server.revisionWindow(Duration.ofMinutes(10));
            server.pageSize(50);
            String byMillis = "/range/15/minute/" + START + "/" + clock.millis();
            List<Bar> revised =
                    bars("AAPL", getJson(server.url() + "/v2/aggs/ticker/AAPL" + byMillis));
            assertThat(revised.subList(0, 2)).isEqualTo(expected.subList(0, 2));
            assertThat(revised.get(2).close()).isEqualTo(expected.get(2).close() * 1.001);
            assertThat(revised.get(2).volume()).isEqualTo(expected.get(2).volume() * 0.9);

            JsonNode oneMinute =
                    getJson(server.url() + "/v2/aggs/ticker/AAPL/range/1/minute/0/" + START);
            assertThat(bars("AAPL", oneMinute))
                    .containsExactly(PolygonRestServer.withVwapAndTrades(minutes.get(0)));

            assertThat(server.requests()).extracting(Recorded::status).containsOnly(200);
            assertThat(server.maxInAnyWindow(Duration.ofMinutes(1))).isEqualTo(server.count());
        }
    }

    @Test
    void answersPolygonErrorsAndQueuedFaults() throws Exception {
        try (PolygonRestServer server = PolygonRestServer.start(KEY, Clock.systemUTC())) {
            String aggs =
                    server.url() + "/v2/aggs/ticker/AAPL/range/1/minute/2023-03-13/2023-03-13";

            HttpResponse<String> noKey = send(HttpRequest.newBuilder(URI.create(aggs)));
            assertThat(noKey.statusCode()).isEqualTo(401);
            JsonNode unauthorized = JSON.readTree(noKey.body());
            assertThat(unauthorized.get("status").asText()).isEqualTo("NOT_AUTHORIZED");
            assertThat(unauthorized.get("message").asText()).isEqualTo("Unknown API Key");

            server.enqueue(Fault.tooManyRequests(7), Fault.serverError(), Fault.malformedBody());
            HttpResponse<String> limited = send(authorized(aggs));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(JSON.readTree(limited.body()).get("error").asText())
                    .startsWith("You've exceeded the maximum requests per minute");
            assertThat(send(authorized(aggs)).statusCode()).isEqualTo(500);
            HttpResponse<String> malformed = send(authorized(aggs));
            assertThat(malformed.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> JSON.readTree(malformed.body()))
                    .isInstanceOf(IOException.class);

            HttpResponse<String> empty =
                    send(HttpRequest.newBuilder(URI.create(aggs + "?apiKey=" + KEY)));
            assertThat(empty.statusCode()).isEqualTo(200);
            JsonNode emptyBody = JSON.readTree(empty.body());
            assertThat(emptyBody.get("resultsCount").asInt()).isZero();
            assertThat(emptyBody.has("results")).isFalse();

            assertThat(send(authorized(server.url() + "/v3/unknown")).statusCode()).isEqualTo(404);

            // The JDK client retries a GET once after a close without any byte: queue two.
            server.enqueue(Fault.dropConnection(), Fault.dropConnection());
            assertThatThrownBy(() -> send(authorized(aggs))).isInstanceOf(IOException.class);
            server.enqueue(Fault.dropAfterHeaders());
            assertThatThrownBy(() -> send(authorized(aggs))).isInstanceOf(IOException.class);
            assertThat(send(authorized(aggs)).statusCode()).isEqualTo(200);

            assertThat(server.requests())
                    .extracting(Recorded::status)
                    .containsExactly(401, 429, 500, 200, 200, 404, 0, 0, 0, 200);
            assertThat(server.requests().get(0).authorization()).isNull();
            assertThat(server.requests().get(1).authorization()).isEqualTo("Bearer " + KEY);
        }
    }

    @Test
    void slowAnswersDoNotBlockOthersAndTheRateLimitApplies() throws Exception {
        try (PolygonRestServer server = PolygonRestServer.start(KEY, Clock.systemUTC())) {
            String aggs = server.url() + "/v2/aggs/ticker/AAPL/range/15/minute/0/1";
            server.enqueue(Fault.slow(Duration.ofSeconds(3)));
            CompletableFuture<HttpResponse<String>> slow =
                    http.sendAsync(authorized(aggs).build(), HttpResponse.BodyHandlers.ofString());
            // The slow request must have taken the fault before the next one arrives.
            await().atMost(WAIT).until(() -> server.count() == 1);
            assertThat(send(authorized(aggs)).statusCode()).isEqualTo(200);
            assertThat(slow).isNotDone();
            assertThat(slow.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode())
                    .isEqualTo(200);

            server.limitPerMinute(1);
            assertThat(send(authorized(aggs)).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = send(authorized(aggs));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
            assertThat(server.maxInAnyWindow(Duration.ofMinutes(1))).isEqualTo(4);
        }
    }

    @Test
    void speaksPolygonsWebSocketProtocol() throws Exception {
        try (PolygonWebSocketServer feed = PolygonWebSocketServer.start(KEY)) {
            Messages messages = new Messages();
            WebSocket socket =
                    http.newWebSocketBuilder()
                            .buildAsync(URI.create(feed.url()), messages)
                            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(messages.next())
                    .isEqualTo(
                            "[{\"ev\":\"status\",\"status\":\"connected\","
                                    + "\"message\":\"Connected Successfully\"}]");
            socket.sendText("{\"action\":\"subscribe\",\"params\":\"AM.AAPL\"}", true);
            assertThat(messages.next()).contains("\"message\":\"not authorized\"");

            socket.sendText("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}", true);
            assertThat(messages.next())
                    .isEqualTo(
                            "[{\"ev\":\"status\",\"status\":\"auth_success\","
                                    + "\"message\":\"authenticated\"}]");
            socket.sendText("{\"action\":\"subscribe\",\"params\":\"AM.AAPL,XA.ETH-USD\"}", true);
            JsonNode subscribed = JSON.readTree(messages.next());
            assertThat(subscribed.findValuesAsText("message"))
                    .containsExactly("subscribed to: AM.AAPL", "subscribed to: XA.ETH-USD");
            assertThat(feed.awaitSubscribed("XA.ETH-USD", WAIT)).isTrue();
            assertThat(feed.subscriptions()).containsExactlyInAnyOrder("AM.AAPL", "XA.ETH-USD");
            assertThat(feed.authenticatedConnections()).isEqualTo(1);

            Bar apple1 = Bar.of("AAPL", START, 10, 11, 9, 10.5, 100);
            Bar apple2 = new Bar("AAPL", START + MINUTE, 10.5, 12, 10, 11.5, 300, 11.0, 20L);
            Bar eth = Bar.of("X:ETHUSD", START, 1600, 1610, 1590, 1605, 2.5);
            Bar msft = Bar.of("MSFT", START, 250, 251, 249, 250.5, 50);
            feed.publish(List.of(apple2, apple1, msft, eth));

            // One array per minute, in time order; within a minute, in the order given.
            JsonNode firstMinute = JSON.readTree(messages.next());
            assertThat(firstMinute).hasSize(2);
            JsonNode am = firstMinute.get(0);
            assertThat(fieldNames(am))
                    .containsExactly(
                            "ev", "sym", "v", "av", "op", "vw", "o", "c", "h", "l", "a", "z", "s",
                            "e");
            double vwap1 = (11 + 9 + 10.5) / 3;
            assertThat(am.get("sym").asText()).isEqualTo("AAPL");
            assertThat(am.get("vw").asDouble()).isEqualTo(vwap1);
            assertThat(am.get("z").asDouble()).isEqualTo(100.0 / 101);
            assertThat(am.get("s").asLong()).isEqualTo(START);
            assertThat(am.get("e").asLong()).isEqualTo(START + MINUTE);
            JsonNode xa = firstMinute.get(1);
            assertThat(xa.get("ev").asText()).isEqualTo("XA");
            assertThat(xa.get("pair").asText()).isEqualTo("ETH-USD");
            assertThat(xa.get("v").asDouble()).isEqualTo(2.5);

            JsonNode secondMinute = JSON.readTree(messages.next());
            assertThat(secondMinute).hasSize(1);
            JsonNode next = secondMinute.get(0);
            assertThat(next.get("av").asDouble()).isEqualTo(400);
            assertThat(next.get("op").asDouble()).isEqualTo(10);
            assertThat(next.get("a").asDouble())
                    .isCloseTo((vwap1 * 100 + 11.0 * 300) / 400, within(1e-12));

            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done")
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(feed.received()).hasSize(3);
            assertThat(PolygonWebSocketServer.cryptoPair("X:BTCUSDT")).isEqualTo("BTC-USDT");
        }
    }

    @Test
    void rejectsAWrongKeyAndDropsConnections() throws Exception {
        try (PolygonWebSocketServer feed = PolygonWebSocketServer.start(KEY)) {
            Messages wrong = new Messages();
            WebSocket rejected =
                    http.newWebSocketBuilder()
                            .buildAsync(URI.create(feed.url()), wrong)
                            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            wrong.next();
            rejected.sendText("{\"action\":\"auth\",\"params\":\"nope\"}", true);
            assertThat(wrong.next()).contains("\"status\":\"auth_failed\"");
            assertThat(wrong.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();

            Messages dropped = new Messages();
            WebSocket socket =
                    http.newWebSocketBuilder()
                            .buildAsync(URI.create(feed.url()), dropped)
                            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            dropped.next();
            socket.sendText("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}", true);
            dropped.next();
            feed.dropConnections();
            // The JDK client reports the reset connection as an error (onError).
            assertThat(
                            dropped.closed
                                    .handle((code, error) -> true)
                                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isTrue();
            assertThat(feed.connectionsOpened()).isEqualTo(2);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Deterministic minute bars; vw and n are left for the server to fill. */
    private static List<Bar> minutes(String symbol, long start, int count) {
        List<Bar> bars = new ArrayList<>(count);
        double price = 100;
        for (int i = 0; i < count; i++) {
            double close = price + Math.sin(i) * 0.5;
            double high = Math.max(price, close) + 0.25;
            double low = Math.min(price, close) - 0.25;
            bars.add(Bar.of(symbol, start + i * MINUTE, price, high, low, close, 1000 + 37 * i));
            price = close;
        }
        return bars;
    }

    private HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = send(authorized(url));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<Bar> bars(String symbol, JsonNode body) throws Exception {
        List<Bar> bars = new ArrayList<>();
        for (JsonNode result : body.path("results")) {
            bars.add(JSON.treeToValue(result, Bar.class).withSymbol(symbol));
        }
        return bars;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Collects whole text messages and the end of the connection. */
    private static final class Messages implements WebSocket.Listener {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                queue.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String message = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a message within %s", WAIT).isNotNull();
            return message;
        }
    }
}
