package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.barcast.connectors.jdbc.JdbcSinks;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Symbols;
import io.barcast.jobs.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL sinks on a MiniCluster against a real server that refuses some rows for reasons no
 * check before the sink knows: a CHECK constraint added here, a NUL in text, a key over the btree
 * entry limit, an id that is not a UUID. Every other row must be written, every refused row kept
 * with PostgreSQL's error, and the job must finish without a restart. (It lives in jobs because the
 * test database support does.)
 */
class JdbcSinksITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            PipelineTestSupport.miniCluster(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

    private static final long T0 = 1_700_000_100_000L;
    private static final long BAR = 900_000L;

    /** Refused by bars (negative volume), and its dead letter by dead_letters. */
    private static final String NO_DEAD_LETTER = "NODL";

    @BeforeAll
    static void addRulesTheSinksDoNotKnow() {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT test_volume_not_negative CHECK (volume >= 0)");
        DB.execute(
                "ALTER TABLE dead_letters ADD CONSTRAINT test_refuses_nodl CHECK (symbol <> '"
                        + NO_DEAD_LETTER
                        + "')");
    }

    @BeforeEach
    void emptyTables() {
        DB.truncateAll();
    }

    @Test
    void refusedRowsAreSetAsideWithTheServersErrorAndEveryOtherRowIsWritten() throws Exception {
        List<Bar> good = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            good.add(Bar.of(i % 2 == 0 ? "AAPL" : "MSFT", T0 + i * BAR, 10, 11, 9, 10.5, 100 + i));
        }
        Bar negativeVolume = Bar.of("CHK", T0, 10, 11, 9, 10.5, -1);
        Bar nulInSymbol = Bar.of("NU\u0000L", T0, 10, 11, 9, 10.5, 1);
        Bar overIndexLimit = Bar.of(randomHex(4_000), T0, 10, 11, 9, 10.5, 1);
        Bar deadLetterRefused = Bar.of(NO_DEAD_LETTER, T0, 10, 11, 9, 10.5, -5);
        List<Bar> bars = new ArrayList<>(good);
        // spread over several batches, each failing one way
        bars.add(7, negativeVolume);
        bars.add(40, nulInSymbol);
        bars.add(41, overIndexLimit);
        bars.add(90, deadLetterRefused);

        List<Alert> alerts =
                List.of(
                        new Alert(UUID.randomUUID().toString(), "info", "model", "AAPL", "a", T0),
                        new Alert("not-a-uuid", "warning", "model", "MSFT", "b", T0 + BAR),
                        new Alert(UUID.randomUUID().toString(), "critical", "feed", "", "c", T0));

        DeadLetter keptLetter = DeadLetter.of("AAPL", "parse", "bad line", T0, "{x");
        DeadLetter refusedLetter = DeadLetter.of(NO_DEAD_LETTER, "parse", "bad line", T0, "{y");

        StreamExecutionEnvironment env = environment();
        JdbcSinks.Database database = database(16, Duration.ofMillis(200));
        env.fromData(bars).sinkTo(JdbcSinks.bars(database)).name("bars");
        env.fromData(alerts).sinkTo(JdbcSinks.alerts(database)).name("alerts");
        env.fromData(List.of(keptLetter, refusedLetter))
                .sinkTo(JdbcSinks.deadLetters(database))
                .name("dead letters");
        // the restart strategy is "none": a refused row that failed the job would fail this call
        JobExecutionResult result = env.execute("refused rows");

        Set<String> written = new HashSet<>();
        for (Map<String, Object> row : DB.query("SELECT symbol, bar_time FROM bars")) {
            written.add(row.get("symbol") + "@" + ((Timestamp) row.get("bar_time")).getTime());
        }
        Set<String> expected = new HashSet<>();
        for (Bar bar : good) {
            expected.add(bar.symbol() + "@" + bar.time());
        }
        assertThat(written).isEqualTo(expected);
        assertThat(DB.count("SELECT count(*) FROM alerts")).isEqualTo(2);

        assertThat(reasonOf("CHK"))
                .startsWith("PostgreSQL refused this row of table bars: 23514 ")
                .contains("violates check constraint \"test_volume_not_negative\"");
        assertThat(reasonOf(nulInSymbol.symbol()))
                .startsWith("PostgreSQL refused this row of table bars: 22021 ")
                .contains("invalid byte sequence for encoding \"UTF8\": 0x00");
        assertThat(reasonOf(overIndexLimit.symbol()))
                .startsWith("PostgreSQL refused this row of table bars: 54000 ")
                .contains("exceeds btree version 4 maximum 2704 for index \"bars_pkey\"");
        assertThat(reasonOf("MSFT"))
                .startsWith("This row of table alerts could not be bound for PostgreSQL: ")
                .contains("not-a-uuid");
        assertThat(
                        DB.query(
                                "SELECT payload, event_time FROM dead_letters WHERE symbol ="
                                        + " 'CHK'"))
                .singleElement()
                .satisfies(
                        row -> {
                            assertThat((String) row.get("payload")).contains("\"v\":-1.0");
                            assertThat(((Timestamp) row.get("event_time")).getTime()).isEqualTo(T0);
                        });
        assertThat(DB.count("SELECT count(*) FROM dead_letters WHERE stage = 'sink'")).isEqualTo(4);
        assertThat(DB.count("SELECT count(*) FROM dead_letters WHERE stage = 'parse'"))
                .isEqualTo(1);

        // the NODL bar's dead letter and the NODL dead letter itself
        List<Map<String, Object>> failures =
                DB.query("SELECT table_name, sql_state, error, payload FROM sink_failures");
        assertThat(failures)
                .hasSize(2)
                .allSatisfy(
                        row -> {
                            assertThat(row.get("table_name")).isEqualTo("dead_letters");
                            assertThat(row.get("sql_state")).isEqualTo("23514");
                            assertThat((String) row.get("error")).contains("test_refuses_nodl");
                        });
        assertThat(failures)
                .extracting(row -> (String) row.get("payload"))
                .anySatisfy(
                        payload ->
                                assertThat(payload)
                                        .contains("PostgreSQL refused this row of table bars")
                                        .contains("test_volume_not_negative"))
                .anySatisfy(payload -> assertThat(payload).contains("{y"));

        assertThat(refusedRows(result, "bars")).isEqualTo(4);
        assertThat(refusedRows(result, "alerts")).isEqualTo(1);
        assertThat(refusedRows(result, "dead letters")).isEqualTo(1);
    }

    @Test
    void aBatchThatIsNotFullIsWrittenWhenItsIntervalEnds() throws Exception {
        StreamExecutionEnvironment env = environment();
        // a batch far larger than the input and no checkpoints: only the timer writes rows
        JdbcSinks.Database database = database(100_000, Duration.ofMillis(100));
        DataGeneratorSource<Bar> ticks =
                new DataGeneratorSource<>(
                        index -> Bar.of("TICK", T0 + index * BAR, 1, 1, 1, 1, 1),
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(20),
                        TypeInformation.of(Bar.class));
        env.fromSource(ticks, WatermarkStrategy.noWatermarks(), "ticks")
                .setParallelism(1)
                .sinkTo(JdbcSinks.bars(database))
                .setParallelism(1);
        JobClient job = env.executeAsync("interval");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> DB.count("SELECT count(*) FROM bars WHERE symbol = 'TICK'") >= 5);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aConnectionTheServerEndsIsReplacedAndNoRowIsLostOrSetAside() throws Exception {
        int rows = 300;
        StreamExecutionEnvironment env = environment();
        JdbcSinks.Database database = database(10, Duration.ofMillis(100));
        DataGeneratorSource<Bar> ticks =
                new DataGeneratorSource<>(
                        index -> Bar.of("DROP", T0 + index * BAR, 1, 1, 1, 1, 1),
                        rows,
                        RateLimiterStrategy.perSecond(100),
                        TypeInformation.of(Bar.class));
        env.fromSource(ticks, WatermarkStrategy.noWatermarks(), "ticks")
                .setParallelism(1)
                .sinkTo(JdbcSinks.bars(database))
                .setParallelism(1);
        JobClient job = env.executeAsync("dropped connection");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> DB.count("SELECT count(*) FROM bars WHERE symbol = 'DROP'") >= 50);

        long dropped =
                DB.count(
                        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM"
                                + " pg_stat_activity WHERE datname = current_database()"
                                + " AND pid <> pg_backend_pid()) AS terminated");

        assertThat(dropped).isPositive();
        // the restart strategy is "none": an outage the writer did not ride out fails the job
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        assertThat(DB.count("SELECT count(*) FROM bars WHERE symbol = 'DROP'")).isEqualTo(rows);
        assertThat(DB.count("SELECT count(*) FROM dead_letters")).isZero();
    }

    @Test
    void aLockHeldPastTheLockTimeoutIsAnOutageWaitedOutNotARefusal() throws Exception {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bars.add(Bar.of("LOCK", T0 + i * BAR, 1, 1, 1, 1, 1));
        }
        DB.execute("ALTER DATABASE " + DB.databaseName() + " SET lock_timeout = '200ms'");
        try (Connection holder = DB.connect()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("LOCK TABLE bars IN ACCESS EXCLUSIVE MODE");
            }
            StreamExecutionEnvironment env = environment();
            env.fromData(bars)
                    .sinkTo(JdbcSinks.bars(database(100, Duration.ofMillis(100))))
                    .name("bars");
            JobClient job = env.executeAsync("locked");
            // the insert fails with 55P03 (lock not available) and the writer waits to try again
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> metricTotal(job.getJobID(), "sinkOutageRetries", "bars") >= 1);
            holder.commit();

            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        } finally {
            DB.execute("ALTER DATABASE " + DB.databaseName() + " RESET lock_timeout");
        }
        assertThat(DB.count("SELECT count(*) FROM bars WHERE symbol = 'LOCK'")).isEqualTo(20);
        assertThat(DB.count("SELECT count(*) FROM dead_letters")).isZero();
    }

    private static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        return env;
    }

    private static JdbcSinks.Database database(int batchSize, Duration interval) {
        return new JdbcSinks.Database(DB.url(), DB.user(), DB.password(), batchSize, interval);
    }

    /** The reason of the one sink dead letter of a symbol (as dead letters quote symbols). */
    private static String reasonOf(String symbol) {
        List<Map<String, Object>> rows =
                DB.query(
                        "SELECT reason FROM dead_letters WHERE stage = 'sink' AND symbol = ?",
                        Symbols.quote(symbol));
        assertThat(rows).as("dead letters of %s", Symbols.quote(symbol)).hasSize(1);
        return (String) rows.get(0).get("reason");
    }

    /** The job's sinkRefusedRows of one sink, summed over its subtasks. */
    private static long refusedRows(JobExecutionResult result, String sinkName) {
        return metricTotal(result.getJobID(), "sinkRefusedRows", sinkName);
    }

    /** A counter of one sink's writer ("name: Writer"), summed over its subtasks. */
    private static long metricTotal(JobID job, String metricName, String sinkName) {
        long total = 0;
        for (Map.Entry<String, Metric> metric : METRICS.findMetrics(job, metricName).entrySet()) {
            if (metric.getKey().contains(sinkName + ": Writer")
                    || metric.getKey().contains(sinkName.replace(' ', '_') + ":_Writer")) {
                total += ((Counter) metric.getValue()).getCount();
            }
        }
        return total;
    }

    private static String randomHex(int length) {
        Random random = new Random(7);
        StringBuilder hex = new StringBuilder(length);
        while (hex.length() < length) {
            hex.append(Integer.toHexString(random.nextInt(16)));
        }
        return hex.toString();
    }
}
