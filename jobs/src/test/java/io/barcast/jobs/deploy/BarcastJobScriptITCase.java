package io.barcast.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/docker/barcast-job.sh, the JobManager's command in docker-compose.yml, run with bash and a
 * stand-in for the Flink image's entrypoint: it resumes from the newest complete snapshot.
 */
class BarcastJobScriptITCase {

    private static final Path SCRIPT = DeployFiles.file("deploy/docker/barcast-job.sh");
    private static final List<String> JOB_ARGS = List.of("--config", "/etc/barcast/barcast.yaml");

    @TempDir Path dir;

    @Test
    void startsWithoutStateWhenThereIsNone() throws Exception {
        assertThat(run(Map.of()))
                .containsExactly(
                        "standalone-job",
                        "--job-classname",
                        "io.barcast.jobs.PredictionJob",
                        "--config",
                        "/etc/barcast/barcast.yaml");
    }

    @Test
    void resumesFromTheNewestCompleteCheckpointOrSavepoint() throws Exception {
        snapshot("checkpoints/aaa/chk-7", true, 100);
        Path savepoint = snapshot("savepoints/savepoint-aaa-1", true, 200);
        // newer, but Flink has not finished it: no _metadata yet
        snapshot("checkpoints/bbb/chk-1", false, 300);

        assertThat(run(Map.of()))
                .containsSequence("--fromSavepoint", "file://" + savepoint)
                .endsWith(JOB_ARGS.toArray(String[]::new));

        Path checkpoint = snapshot("checkpoints/bbb/chk-2", true, 400);
        assertThat(run(Map.of())).containsSequence("--fromSavepoint", "file://" + checkpoint);
    }

    @Test
    void freshStartIgnoresTheSavedState() throws Exception {
        snapshot("checkpoints/aaa/chk-7", true, 100);
        assertThat(run(Map.of("BARCAST_FRESH", "true"))).doesNotContain("--fromSavepoint");
        assertThat(dir.resolve("state/checkpoints/aaa/chk-7/_metadata")).exists();
    }

    private Path snapshot(String relative, boolean complete, long secondsAfterEpoch)
            throws Exception {
        Path folder = Files.createDirectories(dir.resolve("state").resolve(relative));
        if (complete) {
            Path metadata = Files.writeString(folder.resolve("_metadata"), "x");
            Files.setLastModifiedTime(
                    metadata,
                    FileTime.from(
                            Instant.parse("2026-01-01T00:00:00Z").plusSeconds(secondsAfterEpoch)));
        }
        return folder;
    }

    /** The arguments the script hands to the entrypoint. */
    private List<String> run(Map<String, String> env) throws Exception {
        Path entrypoint = dir.resolve("entrypoint.sh");
        Path captured = dir.resolve("args.txt");
        Files.writeString(entrypoint, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$ARGS_FILE\"\n");
        entrypoint.toFile().setExecutable(true);
        Files.deleteIfExists(captured);

        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString());
        builder.command().addAll(JOB_ARGS);
        builder.environment().put("FLINK_ENTRYPOINT", entrypoint.toString());
        builder.environment().put("BARCAST_STATE_DIR", dir.resolve("state").toString());
        builder.environment().put("ARGS_FILE", captured.toString());
        builder.environment().remove("BARCAST_FRESH");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        return Files.readAllLines(captured);
    }
}
