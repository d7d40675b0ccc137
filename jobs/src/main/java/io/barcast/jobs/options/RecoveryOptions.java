package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** How the job recovers: where its state is kept and how often it restarts after a failure. */
public final class RecoveryOptions {

    public static final ConfigOption<String> STATE_DIR =
            key("state.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Folder (path or URI) of the job's checkpoints (checkpoints/) and"
                                    + " savepoints (savepoints/). barcast run resumes from the"
                                    + " newest one in it. Default: ~/.barcast/state for run, a"
                                    + " temporary folder for demo, backtest and bench,"
                                    + " file:///tmp/barcast/state for flink run.");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            key("restart.attempts")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Restarts after failures in a row before the job gives up and fails;"
                                    + " the count starts again once the job ran restart.reset-after"
                                    + " without a failure. 0: the first failure fails the job.");

    public static final ConfigOption<Duration> RESTART_INITIAL_DELAY =
            key("restart.initial-delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Wait before the first restart; it doubles with each one.");

    public static final ConfigOption<Duration> RESTART_MAX_DELAY =
            key("restart.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("The longest wait between two restarts.");

    public static final ConfigOption<Duration> RESTART_RESET_AFTER =
            key("restart.reset-after")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Running this long without a failure resets the restart count and"
                                    + " the wait.");

    /** Where flink run keeps state when state.dir is not set. */
    public static final String FLINK_RUN_STATE_DIR = "file:///tmp/barcast/state";

    private RecoveryOptions() {}
}
