package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shaded job jar that {@code flink run} takes: complete, but without Flink itself. */
class JobJarITCase {

    private static Path jobJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no *-job.jar in target/: run package"));
        }
    }

    @Test
    void carriesTheJobTheModelAndTheMigrationsButNotFlink() throws Exception {
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(PredictionJob.class.getName());
            List<String> entries = jar.stream().map(e -> e.getName()).toList();
            assertThat(entries)
                    .contains(
                            "io/barcast/jobs/PredictionJob.class",
                            "io/barcast/functions/inference/OnnxForecaster.class",
                            "models/default/model.onnx",
                            "models/default/model.json",
                            "db/migration/V1__bars_predictions_dead_letters.sql",
                            "org/flywaydb/core/Flyway.class",
                            "org/postgresql/Driver.class",
                            "ai/onnxruntime/OrtSession.class");
            assertThat(entries).anyMatch(e -> e.startsWith("org/apache/flink/connector/kafka/"));
            assertThat(entries).anyMatch(e -> e.startsWith("org/apache/flink/connector/jdbc/"));
            assertThat(entries)
                    .noneMatch(e -> e.startsWith("org/apache/flink/runtime/"))
                    .noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/environment/"))
                    .noneMatch(e -> e.startsWith("kafka/server/"))
                    .noneMatch(e -> e.startsWith("io/zonky/"))
                    .noneMatch(e -> e.startsWith("org/apache/logging/log4j/core/"));
        }
    }
}
