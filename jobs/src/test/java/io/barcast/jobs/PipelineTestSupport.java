package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.connectors.testing.MiniClusters;
import io.barcast.core.Bar;
import io.barcast.core.json.Json;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import io.barcast.jobs.testing.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Inputs and settings the pipeline integration tests share. */
public final class PipelineTestSupport {

    /** Bars the default model needs before its first forecast: window 64 + lookback 21 - 1. */
    static final int BARS_BEFORE_FIRST_FORECAST = 84;

    /** Input lines no forecast may come from, each with the reason it must be rejected for. */
    static final Map<String, String> BAD_LINES =
            Map.of(
                    "{\"symbol\": \"X:ETHUSD\", \"t\": oops}", "not valid JSON",
                    "{\"symbol\":\"X:ETHUSD\",\"t\":1678000000000,\"o\":10,\"h\":9,\"l\":8,\"c\":9.5,\"v\":1}",
                            "high 9.0 is below max(open, close)",
                    "{\"symbol\":\"X:ETHUSD\",\"t\":1678000900000,\"o\":10,\"h\":11,\"l\":9,\"c\":10,\"v\":-5}",
                            "volume is negative",
                    "{\"symbol\":\"X:ETHUSD\",\"t\":1678000060000,\"o\":10,\"h\":11,\"l\":9,\"c\":10,\"v\":5}",
                            "not on the 15-minute bar grid",
                    "{\"symbol\":\"X:ETHUSD\",\"t\":1678001800000,\"o\":0,\"h\":11,\"l\":9,\"c\":10,\"v\":5}",
                            "open price is not positive");

    private PipelineTestSupport() {}

    /** The real ETH bars (15-minute) as JSON lines, an exact duplicate and the bad lines. */
    static Path writeEthInput(Path dir) throws Exception {
        ObjectMapper mapper = Json.newMapper();
        List<String> lines = new ArrayList<>();
        List<Bar> bars = RealBars.eth15m();
        for (Bar bar : bars) {
            lines.add(mapper.writeValueAsString(bar));
        }
        lines.add(mapper.writeValueAsString(bars.get(bars.size() / 2)));
        lines.addAll(BAD_LINES.keySet());
        Path file = dir.resolve("eth.jsonl");
        Files.write(file, lines);
        return file;
    }

    /** The real ETH bars (15-minute) as JSON lines, nothing else. */
    static Path writeEthBars(Path dir) throws Exception {
        ObjectMapper mapper = Json.newMapper();
        List<String> lines = new ArrayList<>();
        for (Bar bar : RealBars.eth15m()) {
            lines.add(mapper.writeValueAsString(bar));
        }
        return Files.write(dir.resolve("eth-bars.jsonl"), lines);
    }

    public static Map<String, String> settings(
            TestDatabase db, TestKafka kafka, Path input, Path checkpoints, String topicPrefix) {
        return settings(
                db.url(),
                db.user(),
                db.password(),
                kafka.bootstrapServers(),
                input,
                checkpoints,
                topicPrefix);
    }

    /** The same against a database and a broker the test runs itself, e.g. to stop them. */
    static Map<String, String> settings(
            String jdbcUrl,
            String jdbcUser,
            String jdbcPassword,
            String bootstrapServers,
            Path input,
            Path checkpoints,
            String topicPrefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("source", "replay");
        settings.put("replay.path", input.toString());
        settings.put("jdbc.url", jdbcUrl);
        settings.put("jdbc.user", jdbcUser);
        settings.put("jdbc.password", jdbcPassword);
        settings.put("kafka.bootstrap-servers", bootstrapServers);
        settings.put("kafka.topic.predictions", topicPrefix + ".predictions");
        settings.put("kafka.topic.dead-letters", topicPrefix + ".dead-letters");
        settings.put("kafka.topic.recommendations", topicPrefix + ".recommendations");
        settings.put("kafka.topic.alerts", topicPrefix + ".alerts");
        settings.put("kafka.topic.validations", topicPrefix + ".validations");
        settings.put("kafka.topic.accuracy", topicPrefix + ".accuracy");
        settings.put("kafka.topic.trade-outcomes", topicPrefix + ".trade-outcomes");
        settings.put("kafka.topic.repredictions", topicPrefix + ".repredictions");
        settings.put("kafka.topic.retrain-requests", topicPrefix + ".retrain-requests");
        settings.put("checkpoint.interval", "1s");
        settings.put("state.dir", checkpoints.toUri().toString());
        settings.put("metrics.prometheus.enabled", "false");
        settings.put(
                "model.dir",
                System.getProperty(
                        "barcast.test.model-dir", Path.of("..", "models", "default").toString()));
        return settings;
    }

    /**
     * The settings of a job reading the real ETH bars of {@code symbol} from a Polygon test server
     * over REST, bounded to the days the bars cover (the key comes from elsewhere).
     */
    static Map<String, String> polygonSettings(
            TestDatabase db,
            TestKafka kafka,
            Path dir,
            String topicPrefix,
            String symbol,
            String restUrl,
            int requestsPerMinute) {
        Map<String, String> settings =
                new LinkedHashMap<>(settings(db, kafka, dir, dir.resolve("cp"), topicPrefix));
        settings.remove("replay.path");
        settings.put("source", "polygon");
        settings.put("polygon.symbols", symbol);
        settings.put("polygon.rest-url", restUrl);
        settings.put("polygon.backfill-from", "2023-03-13");
        settings.put("polygon.backfill-to", "2023-03-16");
        settings.put("polygon.requests-per-minute", Integer.toString(requestsPerMinute));
        return settings;
    }

    /**
     * Asserts that a read_committed reader sees {@code expected} records on the topic, each with
     * another {@code id}: every forecast (or validation) once, none lost, none doubled.
     */
    static void assertEachOnceOnTopic(TestKafka kafka, String topic, int expected)
            throws Exception {
        assertEachOnceOnTopic(kafka.bootstrapServers(), topic, expected);
    }

    /** {@link #assertEachOnceOnTopic(TestKafka, String, int)} on any broker. */
    static void assertEachOnceOnTopic(String bootstrapServers, String topic, int expected)
            throws Exception {
        List<ConsumerRecord<String, String>> records =
                new TopicReader(bootstrapServers)
                        .read(topic, true, expected, Duration.ofSeconds(60));
        ObjectMapper mapper = Json.newMapper();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            ids.add(mapper.readTree(record.value()).get("id").asText());
        }
        assertThat(records)
                .as("each record once on the read_committed topic " + topic)
                .hasSize(expected);
        assertThat(ids).hasSize(expected);
    }

    /** One MiniCluster per test class: one task manager with 2 slots, as on a 2-core machine. */
    static MiniClusterExtension miniCluster() {
        return MiniClusters.twoSlots();
    }

    /** {@link #miniCluster()} with a cluster configuration (metric reporters, say). */
    public static MiniClusterExtension miniCluster(Configuration cluster) {
        return MiniClusters.twoSlots(cluster);
    }

    /** The settings as a YAML config file, as {@code --config} takes it. */
    static Path writeConfig(Path dir, Map<String, String> settings) throws IOException {
        return Files.writeString(
                dir.resolve("barcast.yaml"),
                settings.entrySet().stream()
                        .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                        .collect(Collectors.joining("\n")));
    }

    /** An environment on the test's MiniCluster with the job's own Flink settings. */
    public static StreamExecutionEnvironment environment(BarcastConfig config) {
        Configuration flink = FlinkSettings.of(config);
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }
}
