package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production topology end to end: real ETH bars replayed through the real model into a real
 * PostgreSQL and a real Kafka broker, on a MiniCluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PredictionPipelineITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static List<Bar> eth;
    private static BarcastConfig config;
    private static ModelBundle model;

    @BeforeAll
    static void runPipelineOnce() throws Exception {
        eth = RealBars.eth15m();
        Path input = PipelineTestSupport.writeEthInput(dir);
        config =
                BarcastConfig.of(
                        PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("cp"), "e2e"));
        model = Models.load(config);
        runJob();
    }

    private static void runJob() throws Exception {
        PredictionJob.prepareExternalSystems(config);
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        env.execute("barcast-e2e");
    }

    @Test
    void writesOneForecastPerBarOnceTheWindowIsFull() {
        int expected = eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        assertThat(DB.count("SELECT count(*) FROM predictions")).isEqualTo(expected);
        assertThat(DB.count("SELECT count(*) FROM bars")).isEqualTo(eth.size());

        List<Map<String, Object>> rows = DB.query("SELECT * FROM predictions ORDER BY as_of");
        Set<Long> expectedAsOf =
                eth.subList(PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST - 1, eth.size()).stream()
                        .map(Bar::time)
                        .collect(Collectors.toSet());
        assertThat(rows)
                .extracting(row -> ((Timestamp) row.get("as_of")).getTime())
                .containsExactlyInAnyOrderElementsOf(expectedAsOf);
        assertThat(rows)
                .allSatisfy(
                        row -> {
                            assertThat(row.get("symbol")).isEqualTo("X:ETHUSD");
                            assertThat(row.get("model_version")).isEqualTo(model.spec().version());
                            assertThat(row.get("reason")).isEqualTo("new_bar");
                        });
        assertThat(DB.count("SELECT count(*) FROM prediction_points")).isEqualTo(expected * 672L);
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM prediction_points p JOIN predictions q USING"
                                        + " (prediction_id) WHERE NOT (p.price > 0 AND p.price <"
                                        + " 'Infinity'::float8) OR p.bar_time <= q.as_of"))
                .isZero();
        // the path starts one bar after the forecast's bar and runs a week on a 24x7 calendar
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions WHERE path_times[1] <> as_of +"
                                        + " interval '15 minutes' OR horizon_end <> as_of +"
                                        + " interval '7 days'"))
                .isZero();
    }

    @Test
    void publishesTheSameForecastsOnKafkaExactlyOnce() throws Exception {
        int expected = eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        List<ConsumerRecord<String, String>> records =
                KAFKA.consume("e2e.predictions", true, expected, Duration.ofSeconds(60));
        ObjectMapper mapper = Json.newMapper();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode json = mapper.readTree(record.value());
            assertThat(record.key()).isEqualTo("X:ETHUSD");
            // the bars are from 2023: a record stamped with event time would be deleted by
            // retention at once, so records carry the time they were written
            assertThat(record.timestamp()).isGreaterThan(System.currentTimeMillis() - 3_600_000);
            assertThat(json.get("modelVersion").asText()).isEqualTo(model.spec().version());
            assertThat(json.get("prices")).hasSize(672);
            ids.add(json.get("id").asText());
        }
        assertThat(records).hasSize(expected);
        Set<String> inDatabase =
                DB.query("SELECT prediction_id::text AS id FROM predictions").stream()
                        .map(row -> (String) row.get("id"))
                        .collect(Collectors.toSet());
        assertThat(ids).isEqualTo(inDatabase);
    }

    @Test
    void everyBadInputLandsInTheDeadLettersWithItsReason() throws Exception {
        List<Map<String, Object>> deadLetters = DB.query("SELECT * FROM dead_letters");
        for (String reason : PipelineTestSupport.BAD_LINES.values()) {
            assertThat(deadLetters)
                    .extracting(row -> (String) row.get("reason"))
                    .anySatisfy(r -> assertThat(r).contains(reason));
        }
        assertThat(deadLetters)
                .extracting(row -> (String) row.get("reason"))
                .anySatisfy(r -> assertThat(r).startsWith("duplicate"));
        assertThat(deadLetters).hasSize(PipelineTestSupport.BAD_LINES.size() + 1);

        List<ConsumerRecord<String, String>> onKafka =
                KAFKA.consume("e2e.dead-letters", true, deadLetters.size(), Duration.ofSeconds(60));
        assertThat(onKafka).hasSize(deadLetters.size());
    }

    @Test
    @Order(Integer.MAX_VALUE) // it runs the job again, which publishes again
    void aSecondRunOverTheSameInputLeavesTheTablesUnchanged() throws Exception {
        String snapshot =
                "SELECT (SELECT string_agg(t::text, '|' ORDER BY t::text) FROM %s t) AS rows";
        Map<String, Object> before = tables(snapshot);
        runJob();
        Map<String, Object> after = tables(snapshot);
        assertThat(after).isEqualTo(before);
    }

    private static Map<String, Object> tables(String snapshot) {
        return Map.of(
                "bars", DB.query(String.format(snapshot, "bars")).get(0).get("rows"),
                "predictions", DB.query(String.format(snapshot, "predictions")).get(0).get("rows"),
                "dead_letters",
                        DB.query(String.format(snapshot, "dead_letters")).get(0).get("rows"));
    }

    @Test
    void runsWithGenericTypesDisabled() {
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        // and the job above ran to the end with them disabled: no type fell back to Kryo
        assertThat(DB.count("SELECT count(*) FROM predictions")).isPositive();
    }
}
