package io.barcast.jobs.cli;

import io.barcast.jobs.local.LocalRunner;
import io.barcast.jobs.options.BarcastConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code barcast run}: the job on a local Flink cluster against external Kafka and PostgreSQL. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the job against external Kafka and PostgreSQL on a local Flink cluster.",
            "The config names Kafka and PostgreSQL; the local cluster has the web UI.",
            "To run on a Flink cluster instead, submit the job jar:",
            "  flink run jobs/target/barcast-jobs-<version>-job.jar --config FILE"
        })
final class RunCommand implements Callable<Integer> {

    @Option(
            names = "--duration",
            converter = Settings.DurationConverter.class,
            description =
                    "Run this long, then drain and stop. Default: until the job ends or Ctrl-C.")
    Duration duration;

    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
        BarcastConfig config = settings.resolve(Map.of());
        return new LocalRunner(config, System.out, Files.createTempDirectory("barcast-run-"))
                .run(duration);
    }
}
