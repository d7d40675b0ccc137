package io.barcast.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.json.Json;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Sink tables filled by the real pipeline, for tests of what reads them (the query API): the real
 * ETH bars as {@code X:ETHUSD} and, scaled by 0.92, as {@code X:ETHEUR}, replayed through the real
 * model into a real PostgreSQL and Kafka on the test class's MiniCluster. Thresholds are set so
 * that every table gets rows: recommendations, trade outcomes, validations, accuracy, alerts and
 * repredictions, dead letters (the broken lines of {@link PipelineTestSupport#BAD_LINES}).
 */
public final class PipelineTables {

    public static final String ETH = RealBars.ETH_SYMBOL;
    public static final String ETH_EUR = "X:ETHEUR";

    /**
     * In the running job only: a symbol with just the bars of its first forecast, so none of its
     * points is ever validated and no drift of its own repredicts it (the job answers at most once
     * per bar, so a test's manual request must be the first of its bar).
     */
    public static final String QUIET = "X:QUIET";

    private PipelineTables() {}

    /**
     * Runs the job over both symbols until the bars end; returns its settings. The test class
     * registers the MiniCluster ({@link #miniCluster()}), the database and the broker.
     */
    public static BarcastConfig fill(TestDatabase db, TestKafka kafka, Path dir, String prefix)
            throws Exception {
        BarcastConfig config = BarcastConfig.of(settings(db, kafka, dir, prefix));
        environment(config).execute("barcast-api-tables");
        return config;
    }

    /**
     * Starts the same job but keeps it running after the bars end (the replay waits for more), so
     * that it can answer reprediction requests; the caller cancels it.
     */
    public static JobClient start(TestDatabase db, TestKafka kafka, Path dir, String prefix)
            throws Exception {
        Map<String, String> settings = settings(db, kafka, dir, prefix);
        settings.put("replay.bounded", "false");
        List<String> lines =
                new ArrayList<>(Files.readAllLines(Path.of(settings.get("replay.path"))));
        ObjectMapper mapper = Json.newMapper();
        for (Bar bar :
                RealBars.eth15m().subList(0, PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST)) {
            lines.add(mapper.writeValueAsString(bar.withSymbol(QUIET)));
        }
        Files.write(Path.of(settings.get("replay.path")), lines);
        return environment(BarcastConfig.of(settings)).executeAsync("barcast-api-running");
    }

    private static Map<String, String> settings(
            TestDatabase db, TestKafka kafka, Path dir, String prefix) throws Exception {
        Path input = writeBars(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(db, kafka, input, dir.resolve("cp"), prefix);
        settings.put("recommendation.min-profit-percent", "0.3");
        settings.put("recommendation.min-confidence", "0.3");
        settings.put("band.min-residuals", "20");
        return settings;
    }

    private static StreamExecutionEnvironment environment(BarcastConfig config) throws Exception {
        PredictionJob.prepareExternalSystems(config);
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        return env;
    }

    /** One MiniCluster per test class, as every pipeline test has. */
    public static org.apache.flink.test.junit5.MiniClusterExtension miniCluster() {
        return PipelineTestSupport.miniCluster();
    }

    private static Path writeBars(Path dir) throws Exception {
        ObjectMapper mapper = Json.newMapper();
        List<String> lines = new ArrayList<>();
        for (Bar bar : RealBars.eth15m()) {
            lines.add(mapper.writeValueAsString(bar));
            lines.add(mapper.writeValueAsString(scaled(bar, 0.92)));
        }
        // and the broken lines every pipeline test feeds, so the dead letters have rows too
        lines.addAll(PipelineTestSupport.BAD_LINES.keySet());
        return Files.write(dir.resolve("eth-two-symbols.jsonl"), lines);
    }

    private static Bar scaled(Bar bar, double factor) {
        return new Bar(
                ETH_EUR,
                bar.time(),
                bar.open() * factor,
                bar.high() * factor,
                bar.low() * factor,
                bar.close() * factor,
                bar.volume(),
                bar.vwap() == null ? null : bar.vwap() * factor,
                bar.trades());
    }
}
