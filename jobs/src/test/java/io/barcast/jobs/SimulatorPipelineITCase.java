package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.calendar.MarketCalendar;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Many simulated symbols, stocks and crypto, as the demo runs them, through the whole job. */
class SimulatorPipelineITCase {

    private static final int SYMBOLS = 40;
    private static final int BARS = 200;

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    @Test
    void everyBarOfEverySymbolOnceTheWindowIsFullYieldsOneForecastInBothSinks() throws Exception {
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, dir, dir.resolve("cp"), "simulated");
        settings.remove("replay.path");
        settings.put("source", "simulator");
        settings.put("simulator.symbols", Integer.toString(SYMBOLS));
        settings.put("simulator.bars-per-symbol", Integer.toString(BARS));
        settings.put("simulator.speed", "0");
        BarcastConfig config = BarcastConfig.of(settings);
        PredictionJob.prepareExternalSystems(config);
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        long start = System.currentTimeMillis();
        env.execute("barcast-simulated");

        int perSymbol = BARS - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        assertThat(DB.count("SELECT count(*) FROM bars")).isEqualTo((long) SYMBOLS * BARS);
        assertThat(DB.query("SELECT symbol, count(*) AS n FROM predictions GROUP BY symbol"))
                .hasSize(SYMBOLS)
                .allSatisfy(row -> assertThat((Long) row.get("n")).isEqualTo(perSymbol));
        // a week on each symbol's calendar: 130 bars in a full XNYS week, fewer in a week with
        // a holiday (the simulation starts on New Year's Day), 672 around the clock
        List<Map<String, Object>> lengths =
                DB.query("SELECT symbol, as_of, cardinality(path_prices) AS n FROM predictions");
        assertThat(lengths)
                .allSatisfy(
                        row -> {
                            String symbol = (String) row.get("symbol");
                            long asOf = ((java.sql.Timestamp) row.get("as_of")).getTime();
                            int expected =
                                    MarketCalendar.forSymbol(symbol)
                                            .barStartsWithinDays(
                                                    asOf, 7, java.time.Duration.ofMinutes(15))
                                            .length;
                            assertThat(row.get("n")).isEqualTo(expected);
                            if (symbol.startsWith("X:")) {
                                assertThat(expected).isEqualTo(672);
                            } else {
                                assertThat(expected).isBetween(104, 130);
                            }
                        });
        assertThat(lengths).extracting(row -> row.get("n")).contains(130, 104, 672);
        assertThat(DB.count("SELECT count(*) FROM dead_letters")).isZero();

        int total = SYMBOLS * perSymbol;
        List<ConsumerRecord<String, String>> records =
                KAFKA.consume("simulated.predictions", true, total, Duration.ofSeconds(120));
        assertThat(records).hasSize(total);
        // stamped when written, not with the (months old) event time that retention would delete
        assertThat(records)
                .allSatisfy(r -> assertThat(r.timestamp()).isGreaterThanOrEqualTo(start));
    }
}
