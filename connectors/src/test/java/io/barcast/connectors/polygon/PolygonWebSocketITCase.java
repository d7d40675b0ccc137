package io.barcast.connectors.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.barcast.connectors.polygon.testing.PolygonRestServer;
import io.barcast.connectors.polygon.testing.PolygonWebSocketServer;
import io.barcast.connectors.testing.MiniClusters;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.testing.RealBars;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Polygon source in WebSocket mode against local REST and WebSocket servers that speak
 * Polygon's formats: real ETH/USD bars, re-timed as minute aggregates, stream in as the market
 * clock passes their end; the connection drops once on the way.
 */
class PolygonWebSocketITCase {

    private static final String KEY = "pk-test-ws-4e1b7d0a93";
    private static final long MINUTE = 60_000;
    private static final Instant T0 = Instant.parse("2023-03-13T18:00:00Z");

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @RegisterExtension static final LogCapture LOGS = new LogCapture();

    @AfterAll
    static void theKeyAppearsInNoLogLine() {
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("Polygon WebSocket lost"));
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("no answer to pings"));
        assertThat(LOGS.lines()).noneMatch(line -> line.contains(KEY));
    }

    /** The real 5-minute ETH bars as one-minute aggregates of a stock, from {@link #T0}. */
    private static List<Bar> minutes(String symbol, double scale) {
        List<Bar> minutes = new ArrayList<>();
        List<Bar> eth = RealBars.eth5m();
        for (int i = 0; i < eth.size(); i++) {
            Bar bar = eth.get(i);
            minutes.add(
                    PolygonRestServer.withVwapAndTrades(
                            new Bar(
                                    symbol,
                                    T0.toEpochMilli() + i * MINUTE,
                                    bar.open() * scale,
                                    bar.high() * scale,
                                    bar.low() * scale,
                                    bar.close() * scale,
                                    Math.round(bar.volume() * 100),
                                    null,
                                    null)));
        }
        return minutes;
    }

    private static PolygonSource.Builder source(
            PolygonRestServer rest, PolygonWebSocketServer live, MarketClock clock) {
        return PolygonSource.builder()
                .mode(PolygonMode.WEBSOCKET)
                .symbols(List.of("AAPL", "MSFT"))
                .restUrl(rest.url())
                .wsUrl(live.url())
                .apiKey(KEY)
                .backfillFrom(T0)
                .extendedHours(true)
                .delay(Duration.ZERO)
                .revisionGrace(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(2))
                .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .requestsPerMinute(6_000)
                .heartbeat(Duration.ofMillis(300))
                .clock(clock);
    }

    private static JobClient start(PolygonSource source, String sink) throws Exception {
        CollectingSink.reset(sink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "polygon")
                .sinkTo(new CollectingSink(sink));
        return env.executeAsync("polygon-ws-it");
    }

    @Test
    void rollsTheLiveMinutesIntoTheBarsRestReturnsAndFillsEveryGapOverRest() throws Exception {
        List<Bar> apple = minutes("AAPL", 0.1);
        List<Bar> microsoft = minutes("MSFT", 0.2);
        // 20 minutes of market a second: backfill to minute 200, then about 20 s live.
        MarketClock clock = new MarketClock(T0.plusSeconds(200 * 60), 1_200);
        try (PolygonRestServer rest = PolygonRestServer.start(KEY, clock);
                PolygonWebSocketServer live = PolygonWebSocketServer.start(KEY)) {
            rest.addMinutes("AAPL", apple);
            rest.addMinutes("MSFT", microsoft);
            rest.revisionWindow(Duration.ofSeconds(30));
            List<Bar> expectedApple = PolygonRestServer.rollUp15(apple);
            List<Bar> expectedMicrosoft = PolygonRestServer.rollUp15(microsoft);

            JobClient job = start(source(rest, live, clock).build(), "ws");
            ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
            publishAsTheClockPasses(feed, live, clock, apple, microsoft);

            // Drop the connection once the stream has delivered live bars.
            await().atMost(Duration.ofMinutes(1)).until(() -> fromWebSocket("ws").size() >= 4);
            live.dropConnections();
            await().atMost(Duration.ofMinutes(1)).until(() -> live.connectionsOpened() >= 2);
            // Then a connection that goes silent without closing: the heartbeat notices.
            await().atMost(Duration.ofMinutes(1)).until(() -> fromWebSocket("ws").size() >= 12);
            live.freezeConnections();
            await().atMost(Duration.ofMinutes(1)).until(() -> live.connectionsOpened() >= 3);

            int expected = expectedApple.size() + expectedMicrosoft.size();
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> CollectingSink.results("ws").size() >= expected);
            job.cancel().get();
            feed.shutdownNow();

            List<IncomingBar> output = CollectingSink.results("ws");
            assertThat(output).allMatch(IncomingBar::isParsed);
            assertThat(barsOf(output, "AAPL")).containsExactlyElementsOf(expectedApple);
            assertThat(barsOf(output, "MSFT")).containsExactlyElementsOf(expectedMicrosoft);
            // Both paths produced bars: REST for the backfill and the gaps, the stream live.
            List<IncomingBar> streamed = fromWebSocket("ws");
            assertThat(streamed.size()).isGreaterThanOrEqualTo(10);
            assertThat(output.size() - streamed.size()).isGreaterThanOrEqualTo(20);
            // After the drop and the silent connection, bars kept coming from new connections.
            assertThat(live.connectionsOpened()).isGreaterThanOrEqualTo(3);
            assertThat(live.received()).anyMatch(m -> m.contains("AM.AAPL,AM.MSFT"));
        }
    }

    @Test
    void aRefusedKeyStopsTheJobNamingTheOption() throws Exception {
        MarketClock clock = new MarketClock(T0, 1);
        try (PolygonRestServer rest = PolygonRestServer.start(KEY, clock);
                PolygonWebSocketServer live = PolygonWebSocketServer.start("another-key")) {
            Throwable failure = null;
            try {
                start(source(rest, live, clock).build(), "ws-refused")
                        .getJobExecutionResult()
                        .get();
            } catch (Exception e) {
                failure = e;
            }
            assertThat(failure).isNotNull();
            String trace = ExceptionUtils.stringifyException(failure);
            assertThat(trace).contains("POLYGON_API_KEY").doesNotContain(KEY);
        }
    }

    /** Schedules each pair of minutes to go out when the market clock passes its end. */
    private static void publishAsTheClockPasses(
            ScheduledExecutorService feed,
            PolygonWebSocketServer live,
            MarketClock clock,
            List<Bar> first,
            List<Bar> second) {
        for (int i = 0; i < first.size(); i++) {
            List<Bar> pair = List.of(first.get(i), second.get(i));
            long end = first.get(i).time() + MINUTE;
            long wallDelay = (long) ((end - clock.millis()) / 1_200.0);
            feed.schedule(() -> live.publish(pair), Math.max(0, wallDelay), TimeUnit.MILLISECONDS);
        }
    }

    private static List<IncomingBar> fromWebSocket(String sink) {
        return CollectingSink.results(sink).stream()
                .filter(item -> item.origin().equals("polygon:websocket"))
                .toList();
    }

    private static List<Bar> barsOf(List<IncomingBar> output, String symbol) {
        return output.stream()
                .filter(IncomingBar::isParsed)
                .map(IncomingBar::bar)
                .filter(bar -> bar.symbol().equals(symbol))
                .toList();
    }
}
