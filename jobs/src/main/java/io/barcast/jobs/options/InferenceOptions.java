package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** The model and how it is run. */
public final class InferenceOptions {

    public static final ConfigOption<String> MODEL_DIR =
            key("model.dir")
                    .stringType()
                    .defaultValue("models")
                    .withDescription(
                            "Models folder: default/ serves every symbol without a folder of its"
                                    + " own, <SYMBOL>/ (or X_BTCUSD for X:BTCUSD) serves one"
                                    + " symbol; each holds model.onnx + model.json. A folder with"
                                    + " model.json itself serves every symbol. When it does not"
                                    + " exist, the default model bundled in the job jar is used.");

    public static final ConfigOption<Duration> MODEL_RELOAD_INTERVAL =
            key("model.reload-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often the models folder is scanned for new or changed models. A"
                                    + " valid new version replaces the old one and its symbols are"
                                    + " forecast again; a broken one is refused with an alert.");

    public static final ConfigOption<Duration> MODEL_RETIRE_GRACE =
            key("model.retire-grace")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "How long a replaced model version keeps serving requests queued for"
                                    + " it before its session is closed.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            key("inference.batch-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Requests per ONNX Runtime call at most (micro-batch size).");

    public static final ConfigOption<Duration> BATCH_WAIT =
            key("inference.batch-wait")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription(
                            "Longest a request waits for its micro-batch to fill before it runs.");

    public static final ConfigOption<Duration> TIMEOUT =
            key("inference.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "A request not answered by then becomes a dead letter (the job goes"
                                    + " on).");

    public static final ConfigOption<Integer> CAPACITY =
            key("inference.capacity")
                    .intType()
                    .defaultValue(512)
                    .withDescription("Requests in flight per inference subtask.");

    private InferenceOptions() {}
}
