package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.Bar;
import io.barcast.core.json.Json;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new model version and a broken one, dropped into the models folder while the job runs on a
 * MiniCluster: the new version takes over at one point per symbol with a fresh forecast, no request
 * is lost or fails, and the broken one is refused with an alert.
 */
class ModelHotSwapITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final List<String> SYMBOLS = List.of("X:ETHUSD", "X:ETHBIS");

    @TempDir Path dir;

    @Test
    void aNewVersionTakesOverAtOnePointPerSymbolAndABrokenOneIsRefusedWithAnAlert()
            throws Exception {
        Path models = dir.resolve("models");
        Path defaultModel = models.resolve("default");
        copyModel(Path.of("..", "models", "default"), defaultModel);
        String oldVersion = modelJson(defaultModel).get("version").asText();
        String newVersion = oldVersion + "-b";

        List<Bar> eth = RealBars.eth15m();
        Path input = writeBars(eth);
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("cp"), "swap");
        settings.put("model.dir", models.toString());
        settings.put("model.reload-interval", "300ms");
        settings.put("replay.bounded", "false");
        // about 8 bars a second: the job runs for half a minute
        settings.put("replay.speed", "7200");
        BarcastConfig config = BarcastConfig.of(settings);
        PredictionJob.prepareExternalSystems(config);
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        JobClient job = env.executeAsync("barcast-hot-swap");
        try {
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> DB.count("SELECT count(*) FROM predictions") >= 20);

            // a broken folder for one symbol, then the new default version, each file moved in
            Path broken = models.resolve("X_ETHBIS");
            Files.createDirectories(broken);
            Files.write(broken.resolve("model.onnx"), new byte[] {1, 2, 3, 4});
            Files.copy(defaultModel.resolve("model.json"), broken.resolve("model.json"));
            ObjectNode json = modelJson(defaultModel);
            json.put("version", newVersion);
            Path staged = dir.resolve("model.json.new");
            Files.writeString(staged, json.toPrettyString());
            Files.move(
                    staged,
                    defaultModel.resolve("model.json"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);

            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    DB.count(
                                                    "SELECT count(*) FROM predictions WHERE"
                                                            + " reason = 'model_update'")
                                            == SYMBOLS.size());
            // the replay goes on to its last bar under the new version
            long lastBar = eth.get(eth.size() - 1).time();
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    DB.count(
                                                    "SELECT count(*) FROM predictions WHERE"
                                                            + " reason = 'new_bar' AND as_of = ?",
                                                    new Timestamp(lastBar))
                                            == SYMBOLS.size());
        } finally {
            job.cancel().get();
        }

        assertThat(DB.count("SELECT count(*) FROM dead_letters")).isZero();
        int forecastsPerSymbol = eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        for (String symbol : SYMBOLS) {
            // no request lost: one forecast per bar once the window was full
            assertThat(
                            DB.count(
                                    "SELECT count(DISTINCT as_of) FROM predictions WHERE symbol = ?"
                                            + " AND reason = 'new_bar'",
                                    symbol))
                    .isEqualTo(forecastsPerSymbol);
            List<Map<String, Object>> rows =
                    DB.query(
                            "SELECT as_of, reason, model_version, model_folder FROM predictions"
                                    + " WHERE symbol = ? ORDER BY as_of, model_version = ?",
                            symbol,
                            newVersion);
            // the old version up to one bar, the new one from then on
            List<String> versions = new ArrayList<>();
            rows.forEach(row -> versions.add((String) row.get("model_version")));
            int switchAt = versions.indexOf(newVersion);
            assertThat(switchAt).isPositive();
            assertThat(versions.subList(0, switchAt)).containsOnly(oldVersion);
            assertThat(versions.subList(switchAt, versions.size())).containsOnly(newVersion);
            Map<String, Object> first = rows.get(switchAt);
            assertThat(first.get("reason")).isEqualTo("model_update");
            assertThat(first.get("as_of")).isEqualTo(rows.get(switchAt - 1).get("as_of"));
            // the broken folder never served
            assertThat(rows)
                    .allSatisfy(row -> assertThat(row.get("model_folder")).isEqualTo("default"));
        }

        // (the tracker's alerts, e.g. low confidence, are beside it)
        List<Map<String, Object>> alerts =
                DB.query("SELECT * FROM alerts WHERE category = 'model'");
        assertThat(alerts)
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.get("category")).isEqualTo("model");
                            assertThat(alert.get("severity")).isEqualTo("warning");
                            assertThat(alert.get("symbol")).isEqualTo("X_ETHBIS");
                            assertThat((String) alert.get("message")).contains("X_ETHBIS");
                        });
        List<ConsumerRecord<String, String>> onKafka =
                KAFKA.consume("swap.alerts", true, 1, Duration.ofSeconds(60)).stream()
                        .filter(record -> record.value().contains("\"category\":\"model\""))
                        .toList();
        assertThat(onKafka).hasSize(1);
    }

    private static void copyModel(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String file : List.of("model.onnx", "model.json")) {
            Files.copy(from.resolve(file), to.resolve(file));
        }
    }

    private static ObjectNode modelJson(Path folder) throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(folder.resolve("model.json").toFile());
    }

    private Path writeBars(List<Bar> eth) throws Exception {
        ObjectMapper mapper = Json.newMapper();
        List<String> lines = new ArrayList<>();
        for (Bar bar : eth) {
            for (String symbol : SYMBOLS) {
                lines.add(mapper.writeValueAsString(bar.withSymbol(symbol)));
            }
        }
        Path file = dir.resolve("eth-twice.jsonl");
        Files.write(file, lines);
        return file;
    }
}
