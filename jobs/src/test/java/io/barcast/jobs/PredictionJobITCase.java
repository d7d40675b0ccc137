package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.connectors.polygon.testing.PolygonRestServer;
import io.barcast.core.Bar;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code flink run} entry point: a YAML config file in, the job submitted and run. */
class PredictionJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @Test
    void runsFromAYamlConfigAndSetOverrides(@TempDir Path dir) throws Exception {
        Path input = PipelineTestSupport.writeEthInput(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("cp"), "flinkrun");
        Path yaml = PipelineTestSupport.writeConfig(dir, settings);

        PredictionJob.main(
                new String[] {"--config", yaml.toString(), "--set", "kafka.partitions=1"});

        int expected =
                RealBars.eth15m().size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        assertThat(DB.count("SELECT count(*) FROM predictions")).isEqualTo(expected);
        assertThat(DB.count("SELECT count(*) FROM dead_letters")).isPositive();
    }

    @Test
    void readsPolygonByConfigurationAlone(@TempDir Path dir) throws Exception {
        String key = "pk-job-it-5c0ffee";
        // Its own symbol, apart from the other test's rows in the shared database.
        String symbol = "X:ETHUSDT";
        List<Bar> eth =
                RealBars.eth15m().stream()
                        .map(
                                b ->
                                        new Bar(
                                                symbol,
                                                b.time(),
                                                b.open(),
                                                b.high(),
                                                b.low(),
                                                b.close(),
                                                b.volume(),
                                                b.vwap(),
                                                b.trades()))
                        .toList();
        try (PolygonRestServer polygon = PolygonRestServer.start(key, Clock.systemUTC())) {
            // One bar arrives broken (high below its close): it must reach the dead letters.
            List<Bar> served = new ArrayList<>(eth);
            Bar original = served.get(100);
            served.set(
                    100,
                    new Bar(
                            symbol,
                            original.time(),
                            original.open(),
                            original.close() * 0.9,
                            original.low(),
                            original.close(),
                            original.volume(),
                            original.vwap(),
                            original.trades()));
            polygon.add15MinuteBars(symbol, served);
            Map<String, String> settings =
                    PipelineTestSupport.polygonSettings(
                            DB, KAFKA, dir, "polygonjob", symbol, polygon.url(), 600);
            settings.put("polygon.api-key", key);
            settings.put("kafka.partitions", "1");

            List<String> args = new ArrayList<>();
            settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
            PredictionJob.main(args.toArray(String[]::new));

            String where = " WHERE symbol = '" + symbol + "'";
            int good = eth.size() - 1;
            assertThat(DB.count("SELECT count(*) FROM bars" + where)).isEqualTo(good);
            assertThat(DB.count("SELECT count(*) FROM predictions" + where))
                    .isEqualTo(good - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1);
            assertThat(
                            DB.count(
                                    "SELECT count(*) FROM dead_letters"
                                            + where
                                            + " AND stage = 'sanitize' AND reason LIKE 'high%'"))
                    .isEqualTo(1);
            assertThat(DB.count("SELECT count(*) FROM dead_letters" + where)).isEqualTo(1);
        }
    }
}
