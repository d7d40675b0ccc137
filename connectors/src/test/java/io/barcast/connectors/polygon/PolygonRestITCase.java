package io.barcast.connectors.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.barcast.connectors.polygon.testing.PolygonRestServer;
import io.barcast.connectors.polygon.testing.PolygonRestServer.Fault;
import io.barcast.connectors.polygon.testing.PolygonRestServer.Recorded;
import io.barcast.connectors.testing.MiniClusters;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.testing.RealBars;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Polygon source over REST, on a MiniCluster at parallelism 2, against a local server that
 * speaks Polygon's aggregates format, serves real ETH/USD bars and misbehaves on purpose.
 */
class PolygonRestITCase {

    private static final String KEY = "pk-test-7f3a9c2e51d8";
    private static final Instant FROM = Instant.parse("2023-03-13T00:00:00Z");
    private static final Instant TO = Instant.parse("2023-03-16T00:00:00Z");

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.twoSlots(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension static final LogCapture LOGS = new LogCapture();

    @AfterAll
    static void theKeyAppearsInNoLogLine() {
        assertThat(LOGS.lines()).isNotEmpty();
        assertThat(LOGS.lines()).noneMatch(line -> line.contains(KEY));
    }

    /** Real ETH/USD 15-minute bars under a symbol, prices scaled. */
    private static List<Bar> eth(String symbol, double scale) {
        List<Bar> bars = new ArrayList<>();
        for (Bar bar : RealBars.eth15m()) {
            bars.add(
                    PolygonRestServer.withVwapAndTrades(
                            new Bar(
                                    symbol,
                                    bar.time(),
                                    bar.open() * scale,
                                    bar.high() * scale,
                                    bar.low() * scale,
                                    bar.close() * scale,
                                    bar.volume(),
                                    null,
                                    null)));
        }
        return bars;
    }

    private static PolygonSource.Builder source(PolygonRestServer server, List<String> symbols) {
        return PolygonSource.builder()
                .symbols(symbols)
                .restUrl(server.url())
                .apiKey(KEY)
                .backfillFrom(FROM)
                .pollInterval(Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(1))
                .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .requestsPerMinute(6_000)
                .splits(2);
    }

    /**
     * Serves two symbols' bars five to a page and returns a bounded source that reads them at 10
     * requests a second: a backfill slow enough to interrupt in the middle.
     */
    private static PolygonSource slowBackfill(
            PolygonRestServer server, MarketClock clock, List<Bar> first, List<Bar> second) {
        server.pageSize(5);
        server.add15MinuteBars(first.get(0).symbol(), first);
        server.add15MinuteBars(second.get(0).symbol(), second);
        return source(server, List.of(first.get(0).symbol(), second.get(0).symbol()))
                .clock(clock)
                .backfillTo(TO)
                .requestsPerMinute(600)
                .build();
    }

    private static JobClient start(PolygonSource source, String sink, Configuration config)
            throws Exception {
        CollectingSink.reset(sink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "polygon")
                .sinkTo(new CollectingSink(sink));
        return env.executeAsync("polygon-it");
    }

    private static Map<String, List<Bar>> bySymbol(List<IncomingBar> output) {
        Map<String, List<Bar>> bars = new LinkedHashMap<>();
        for (IncomingBar item : output) {
            if (item.isParsed()) {
                bars.computeIfAbsent(item.bar().symbol(), s -> new ArrayList<>()).add(item.bar());
            }
        }
        return bars;
    }

    private static Map<String, Long> counters(JobClient job, String name) {
        Map<String, Long> counts = new LinkedHashMap<>();
        METRICS.findMetrics(job.getJobID(), name)
                .forEach((id, metric) -> counts.put(id, ((Counter) metric).getCount()));
        return counts;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long parsed(String sink) {
        return CollectingSink.results(sink).stream().filter(IncomingBar::isParsed).count();
    }

    @Test
    void backfillThenLivePollingDeliversEveryFinalBarOnceInOrderDespiteFaults() throws Exception {
        // Market time runs 3,000x: the live part (a day of bars) passes in about 30 s.
        MarketClock clock = new MarketClock(Instant.parse("2023-03-14T18:00:00Z"), 3_000);
        try (PolygonRestServer server = PolygonRestServer.start(KEY, clock)) {
            server.pageSize(40);
            // A bar asked for within 90 s of its window's end comes back revised: the source's
            // 15 min delay + 2 min grace must keep it from asking that early.
            server.revisionWindow(Duration.ofSeconds(90));
            List<Bar> eth = eth("X:ETHUSD", 1);
            List<Bar> btc = eth("X:BTCUSD", 16.5);
            List<Bar> stock = eth("AAPL", 0.1);
            server.add15MinuteBars("X:ETHUSD", eth);
            server.add15MinuteBars("X:BTCUSD", btc);
            server.add15MinuteBars("AAPL", stock);
            // Polygon stalls in the live part: the bars of 03:00 to 03:30 all appear at 04:12,
            // up to 40 minutes after the source first asks for them.
            long stall = Instant.parse("2023-03-15T03:00:00Z").toEpochMilli();
            for (int i = 0; i < 3; i++) {
                server.publishLate(stall + i * 900_000L, Duration.ofMinutes(57 - 15 * i));
            }
            server.enqueue(
                    Fault.tooManyRequests(1),
                    Fault.serverError(),
                    Fault.slow(Duration.ofSeconds(3)),
                    Fault.malformedBody(),
                    Fault.tooManyRequests(null),
                    Fault.dropConnection(),
                    Fault.serverError());
            List<Bar> session =
                    stock.stream()
                            .filter(
                                    b ->
                                            MarketCalendar.forSymbol("AAPL")
                                                    .isBarStart(b.time(), Bar.INTERVAL))
                            .toList();
            int expected = eth.size() + btc.size() + session.size();

            JobClient job =
                    start(
                            source(server, List.of("X:ETHUSD", "X:BTCUSD", "AAPL"))
                                    .clock(clock)
                                    .build(),
                            "rest",
                            new Configuration());
            await().atMost(Duration.ofMinutes(2)).until(() -> parsed("rest") >= expected);
            // Let every symbol poll a few more times and find nothing new.
            int requests = server.count();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.count() >= requests + 9);
            Map<String, Long> perSplit = counters(job, "polygonBarsEmitted");
            Map<String, Long> limited = counters(job, "polygonRateLimited");
            Map<String, Long> retries = counters(job, "polygonRetries");
            Map<String, Long> sent = counters(job, "polygonRequests");
            Map<String, Metric> lags = METRICS.findMetrics(job.getJobID(), "polygonLagMillis");
            job.cancel().get();

            assertThat(perSplit.keySet())
                    .anyMatch(id -> id.contains("split.polygon-0"))
                    .anyMatch(id -> id.contains("split.polygon-1"));
            assertThat(sum(perSplit)).isEqualTo(expected);
            assertThat(sum(limited)).isEqualTo(2);
            // Two 429s, two 500s, a timeout, a malformed body; the dropped connection is resent
            // by the JDK's HTTP client itself (a GET on a kept-alive connection that closed).
            assertThat(sum(retries)).isGreaterThanOrEqualTo(6);
            // The server also saw that resend; a poll may be in flight at the cancel.
            assertThat(sum(sent)).isBetween(server.count() - 2L, server.count() + 1L);
            assertThat(lags.values())
                    .hasSize(2)
                    .allSatisfy(lag -> assertThat((Long) ((Gauge<?>) lag).getValue()).isPositive());

            List<IncomingBar> output = CollectingSink.results("rest");
            Map<String, List<Bar>> bars = bySymbol(output);
            assertThat(bars.get("X:ETHUSD")).containsExactlyElementsOf(eth);
            assertThat(bars.get("X:BTCUSD")).containsExactlyElementsOf(btc);
            assertThat(bars.get("AAPL")).containsExactlyElementsOf(session);
            assertThat(session).hasSizeBetween(40, stock.size() - 40);

            List<IncomingBar> deadLetters =
                    output.stream().filter(item -> !item.isParsed()).toList();
            assertThat(deadLetters).hasSize(1);
            assertThat(deadLetters.get(0).problem()).contains("not valid JSON");
            assertThat(deadLetters.get(0).origin()).startsWith("polygon:/v2/aggs/ticker/");

            List<Recorded> recorded = server.requests();
            assertThat(recorded).extracting(Recorded::status).contains(429, 500);
            assertThat(recorded)
                    .allSatisfy(
                            r -> {
                                assertThat(r.authorization()).isEqualTo("Bearer " + KEY);
                                assertThat(String.valueOf(r.query())).doesNotContain(KEY);
                            });
            // No request for the stock asked only for hours its market was closed.
            MarketCalendar xnys = MarketCalendar.forSymbol("AAPL");
            assertThat(recorded)
                    .filteredOn(r -> r.path().startsWith("/v2/aggs/ticker/AAPL/"))
                    .isNotEmpty()
                    .allSatisfy(
                            r -> {
                                String[] parts = r.path().split("/");
                                long from = Long.parseLong(parts[parts.length - 2]);
                                long to = Long.parseLong(parts[parts.length - 1]);
                                assertThat(xnys.firstBarStartAtOrAfter(from, Bar.INTERVAL))
                                        .isLessThanOrEqualTo(to);
                            });
            // Backfill pages followed next_url (cursor) and polls came after.
            assertThat(recorded).anyMatch(r -> String.valueOf(r.query()).contains("cursor="));
        }
    }

    @Test
    void restoreFromASavepointInTheMiddleOfTheBackfillNeitherSkipsNorRepeats(@TempDir Path dir)
            throws Exception {
        MarketClock clock = new MarketClock(Instant.parse("2023-03-20T00:00:00Z"), 1);
        try (PolygonRestServer server = PolygonRestServer.start(KEY, clock)) {
            List<Bar> eth = eth("X:ETHUSD", 1);
            List<Bar> btc = eth("X:BTCUSD", 16.5);
            PolygonSource source = slowBackfill(server, clock, eth, btc);

            JobClient first = start(source, "before", new Configuration());
            await().atMost(Duration.ofMinutes(1)).until(() -> parsed("before") >= 60);
            String savepoint =
                    first.stopWithSavepoint(
                                    false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get();
            List<IncomingBar> before = CollectingSink.results("before");
            assertThat(before.size()).isLessThan(eth.size() + btc.size() - 60);

            Configuration restore = new Configuration();
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            start(source, "after", restore).getJobExecutionResult().get();

            List<IncomingBar> all = new ArrayList<>(before);
            all.addAll(CollectingSink.results("after"));
            Map<String, List<Bar>> bars = bySymbol(all);
            assertThat(bars.get("X:ETHUSD")).containsExactlyElementsOf(eth);
            assertThat(bars.get("X:BTCUSD")).containsExactlyElementsOf(btc);
        }
    }

    @Test
    void aFailureInTheMiddleOfTheBackfillRestoresFromTheCheckpointWithoutGapOrRepeat()
            throws Exception {
        MarketClock clock = new MarketClock(Instant.parse("2023-03-20T00:00:00Z"), 1);
        try (PolygonRestServer server = PolygonRestServer.start(KEY, clock)) {
            List<Bar> eth = eth("X:ETHUSD", 1);
            List<Bar> btc = eth("X:BTCUSD", 16.5);
            PolygonSource source = slowBackfill(server, clock, eth, btc);
            CommittingCollectSink.reset();
            FailOnce.reset();

            Configuration config = new Configuration();
            config.setString("restart-strategy.type", "fixed-delay");
            config.setString("restart-strategy.fixed-delay.attempts", "1");
            config.setString("restart-strategy.fixed-delay.delay", "100ms");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(2);
            env.enableCheckpointing(200);
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "polygon")
                    .map(new FailOnce())
                    .sinkTo(new CommittingCollectSink());
            env.execute("polygon-failover-it");

            assertThat(FailOnce.failedAfter()).isBetween(60, eth.size() + btc.size() - 60);
            Map<String, List<Bar>> bars = bySymbol(CommittingCollectSink.committed());
            assertThat(bars.get("X:ETHUSD")).containsExactlyElementsOf(eth);
            assertThat(bars.get("X:BTCUSD")).containsExactlyElementsOf(btc);
        }
    }

    /** Fails the job once, after a checkpoint has committed and 60 bars have passed. */
    private static final class FailOnce implements MapFunction<IncomingBar, IncomingBar> {
        private static final AtomicInteger SEEN = new AtomicInteger();
        private static final AtomicInteger FAILED_AFTER = new AtomicInteger(-1);

        static void reset() {
            SEEN.set(0);
            FAILED_AFTER.set(-1);
        }

        static int failedAfter() {
            return FAILED_AFTER.get();
        }

        @Override
        public IncomingBar map(IncomingBar bar) {
            int seen = SEEN.incrementAndGet();
            if (seen >= 60
                    && CommittingCollectSink.commits() > 0
                    && FAILED_AFTER.compareAndSet(-1, seen)) {
                throw new IllegalStateException("injected failure in the middle of the backfill");
            }
            return bar;
        }
    }

    @Test
    void allReadersShareOneBudgetThatRateLimitsAndRetryAfterPause() throws Exception {
        MarketClock clock = new MarketClock(Instant.parse("2023-03-20T00:00:00Z"), 1);
        try (PolygonRestServer server = PolygonRestServer.start(KEY, clock)) {
            server.pageSize(7);
            List<String> symbols = List.of("X:ETHUSD", "X:BTCUSD", "X:SOLUSD", "X:ADAUSD");
            List<Bar> expected = new ArrayList<>();
            for (int i = 0; i < symbols.size(); i++) {
                List<Bar> bars = eth(symbols.get(i), 1 + i);
                server.add15MinuteBars(symbols.get(i), bars);
                expected.addAll(bars);
            }
            server.enqueue(Fault.serverError(), Fault.tooManyRequests(2));

            // 100 a minute, shared by two readers with two symbols each; the backfill needs about
            // 115 requests, so the limiter is saturated for more than a minute.
            start(
                            source(server, symbols)
                                    .clock(clock)
                                    .backfillTo(TO)
                                    .requestsPerMinute(100)
                                    .splits(4)
                                    .build(),
                            "budget",
                            new Configuration())
                    .getJobExecutionResult()
                    .get();

            assertThat(CollectingSink.results("budget"))
                    .extracting(IncomingBar::bar)
                    .containsExactlyInAnyOrderElementsOf(expected);
            List<Recorded> recorded = server.requests();
            assertThat(recorded.size()).isGreaterThan(100);
            assertThat(server.maxInAnyWindow(Duration.ofMinutes(1))).isLessThanOrEqualTo(100);
            // Evenly spaced, not in bursts: permits leave the enumerator 612 ms apart; a request
            // can reach the server a little after its permit, so one second may see two or three.
            assertThat(server.maxInAnyWindow(Duration.ofSeconds(1))).isLessThanOrEqualTo(3);
            // After the 429 asking for 2 s, no reader asks again within them (one request may
            // already have had its permit).
            Recorded limited =
                    recorded.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
            long pausedUntil = limited.receivedAtMillis() + 2_000;
            assertThat(
                            recorded.stream()
                                    .filter(
                                            r ->
                                                    r.receivedAtMillis()
                                                                    > limited.receivedAtMillis()
                                                            && r.receivedAtMillis()
                                                                    < pausedUntil - 100))
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void aRefusedKeyStopsTheJobNamingTheOptionAndNotTheKey() throws Exception {
        MarketClock clock = new MarketClock(Instant.parse("2023-03-20T00:00:00Z"), 1);
        try (PolygonRestServer server = PolygonRestServer.start(KEY, clock)) {
            String wrong = "pk-wrong-0d9e8f7a6b5c";
            PolygonSource source =
                    source(server, List.of("X:ETHUSD")).clock(clock).apiKey(wrong).build();

            Throwable failure = null;
            try {
                start(source, "refused", new Configuration()).getJobExecutionResult().get();
            } catch (Exception e) {
                failure = e;
            }

            assertThat(failure).isNotNull();
            String trace = ExceptionUtils.stringifyException(failure);
            assertThat(trace).contains("POLYGON_API_KEY").contains("polygon.api-key");
            assertThat(trace).doesNotContain(wrong);
            assertThat(LOGS.lines()).noneMatch(line -> line.contains(wrong));
            assertThat(server.requests()).hasSize(1);
        }
    }
}
