package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.testing.RealBars;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
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
        Path yaml = dir.resolve("barcast.yaml");
        Files.writeString(
                yaml,
                settings.entrySet().stream()
                        .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                        .collect(Collectors.joining("\n")));

        PredictionJob.main(
                new String[] {"--config", yaml.toString(), "--set", "kafka.partitions=1"});

        int expected =
                RealBars.eth15m().size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        assertThat(DB.count("SELECT count(*) FROM predictions")).isEqualTo(expected);
        assertThat(DB.count("SELECT count(*) FROM dead_letters")).isPositive();
    }
}
