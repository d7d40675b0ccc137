package io.barcast.jobs.cli;

import io.barcast.jobs.FlinkSettings;
import io.barcast.jobs.local.LocalRunner;
import io.barcast.jobs.local.StateFolder;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.RecoveryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code barcast run}: the job on a local Flink cluster against external Kafka and PostgreSQL,
 * resuming from the newest checkpoint or savepoint in its state folder.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the job against external Kafka and PostgreSQL on a local Flink cluster.",
            "The config names Kafka and PostgreSQL; the local cluster has the web UI.",
            "It keeps its checkpoints and savepoints in state.dir (default ~/.barcast/state)",
            "and resumes from the newest of them; --fresh starts without them.",
            "To run on a Flink cluster instead, submit the job jar:",
            "  flink run jobs/target/barcast-jobs-<version>-job.jar --config FILE"
        })
final class RunCommand implements Callable<Integer> {

    @Option(
            names = "--duration",
            converter = Settings.DurationConverter.class,
            description =
                    "Run this long, then stop with a savepoint. Default: until the job ends or Ctrl-C.")
    Duration duration;

    @Option(
            names = "--fresh",
            description =
                    "Delete the saved state in state.dir and start from the sources' beginning.")
    boolean fresh;

    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
        BarcastConfig config = settings.resolve(Map.of());
        if (!config.isSet(RecoveryOptions.STATE_DIR)) {
            config =
                    config.with(
                            Map.of(RecoveryOptions.STATE_DIR.key(), defaultStateDir().toString()));
        }
        LocalRunner runner = new LocalRunner(config, System.out);
        String stateDir = FlinkSettings.stateDir(config);
        if (!StateFolder.isLocal(stateDir)) {
            System.out.println(
                    "State folder "
                            + stateDir
                            + " is not local: starting without looking for saved state"
                            + " (resume with flink run -s).");
            return runner.run(duration);
        }
        StateFolder state = StateFolder.of(stateDir);
        if (fresh) {
            state.clear();
            System.out.println("Starting fresh: deleted the saved state in " + state.root());
            return runner.run(duration);
        }
        Optional<StateFolder.Snapshot> newest = state.newest();
        if (newest.isEmpty()) {
            System.out.println("No saved state in " + state.root() + ": starting fresh.");
        } else {
            StateFolder.Snapshot snapshot = newest.get();
            System.out.println(
                    "Resuming from "
                            + snapshot.kind()
                            + " "
                            + snapshot.path()
                            + " (completed "
                            + snapshot.completedAt()
                            + ")");
            runner.restoreFrom(snapshot.path().toUri().toString());
        }
        return runner.run(duration);
    }

    /** Where run keeps its state unless state.dir says otherwise: it outlives reboots. */
    static Path defaultStateDir() {
        return Path.of(System.getProperty("user.home"), ".barcast", "state");
    }
}
