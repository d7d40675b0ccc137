package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.deploy.DeployFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The end-to-end run of {@link PredictionJobITCase} against PostgreSQL and Kafka in containers
 * (Testcontainers), the images the Compose file runs, for machines with a Docker engine. Runs with
 * {@code ./mvnw verify -Pdocker}; skipped, saying so, where no Docker engine answers.
 */
@Tag("docker")
class DockerStackITCase {

    /** The images docker-compose.yml runs. */
    private static String image(String service) {
        JsonNode compose = DeployFiles.yaml(DeployFiles.file("docker-compose.yml"));
        return compose.get("services").get(service).get("image").asText();
    }

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @Test
    void replaysIntoPostgresAndKafkaContainersWithEveryForecastOnce(@TempDir Path dir)
            throws Exception {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        String skipped =
                "DockerStackITCase skipped: no Docker engine answers here (Testcontainers found"
                        + " none); it runs where one does, with ./mvnw verify -Pdocker";
        if (!docker) {
            // the build's summary counts a skip without its reason: say it where people look
            System.err.println(skipped);
        }
        assumeTrue(docker, skipped);
        try (PostgreSQLContainer postgres = new PostgreSQLContainer(image("postgres"));
                KafkaContainer kafka = new KafkaContainer(image("kafka"))) {
            postgres.start();
            kafka.start();
            replayInto(postgres, kafka, dir);
        }
    }

    private static void replayInto(PostgreSQLContainer postgres, KafkaContainer kafka, Path dir)
            throws Exception {
        Path input = PipelineTestSupport.writeEthBars(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(
                        postgres.getJdbcUrl(),
                        postgres.getUsername(),
                        postgres.getPassword(),
                        kafka.getBootstrapServers(),
                        input,
                        dir.resolve("state"),
                        "docker");
        Path yaml = PipelineTestSupport.writeConfig(dir, settings);

        PredictionJob.main(new String[] {"--config", yaml.toString()});

        int expected =
                RealBars.eth15m().size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        try (Connection db =
                        DriverManager.getConnection(
                                postgres.getJdbcUrl(),
                                postgres.getUsername(),
                                postgres.getPassword());
                Statement statement = db.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM predictions")) {
            assertThat(count.next()).isTrue();
            assertThat(count.getLong(1)).isEqualTo(expected);
        }
        PipelineTestSupport.assertEachOnceOnTopic(
                kafka.getBootstrapServers(), "docker.predictions", expected);
    }
}
