package io.barcast.jobs;

import io.barcast.core.model.ModelBundle;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.PipelineOptions;
import java.time.Duration;

/** What the topology needs besides its sources and sinks. */
public record PipelineSettings(
        ModelBundle model,
        Duration windowTtl,
        Duration outOfOrderness,
        Duration idleness,
        int inferenceBatchSize,
        Duration inferenceBatchWait,
        Duration inferenceTimeout,
        int inferenceCapacity) {

    public static PipelineSettings from(BarcastConfig config, ModelBundle model) {
        return new PipelineSettings(
                model,
                config.get(PipelineOptions.WINDOW_TTL),
                config.get(PipelineOptions.OUT_OF_ORDERNESS),
                config.get(PipelineOptions.IDLENESS),
                config.get(InferenceOptions.BATCH_SIZE),
                config.get(InferenceOptions.BATCH_WAIT),
                config.get(InferenceOptions.TIMEOUT),
                config.get(InferenceOptions.CAPACITY));
    }
}
