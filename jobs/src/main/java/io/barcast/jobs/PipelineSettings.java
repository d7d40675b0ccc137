package io.barcast.jobs;

import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.models.ModelLocation;
import io.barcast.functions.models.ModelRegistry;
import io.barcast.functions.models.ModelVersion;
import io.barcast.functions.sanitize.BarChecks;
import io.barcast.functions.track.TrackerSettings;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.MonitorOptions;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.SourceOptions.SourceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What the topology needs besides its sources and sinks.
 *
 * @param models where the models are and how they are swapped
 * @param initialCatalog the valid model versions when the job was built
 * @param modelReloadInterval how often the models are scanned; zero scans once
 * @param alertMinInterval alerts of one category and symbol come at most once in this time
 * @param deadLettersPerMinute dead letters of one stage in a minute that raise an alert
 * @param maxAheadOfClock how far after the wall clock a bar may end; null where the source keeps a
 *     clock of its own (the simulator)
 */
public record PipelineSettings(
        ModelLocation models,
        List<ModelVersion> initialCatalog,
        Duration modelReloadInterval,
        SymbolCalendars calendars,
        TrackerSettings tracker,
        Duration windowTtl,
        Duration outOfOrderness,
        Duration idleness,
        int inferenceBatchSize,
        Duration inferenceBatchWait,
        Duration inferenceTimeout,
        int inferenceCapacity,
        Duration alertMinInterval,
        int deadLettersPerMinute,
        Duration maxAheadOfClock) {

    /** Reads and checks the settings and scans the models once (a broken default stops here). */
    public static PipelineSettings from(BarcastConfig config) {
        SymbolCalendars calendars = ForecastSettings.calendars(config);
        ModelLocation models = Models.location(config, calendars);
        return new PipelineSettings(
                models,
                Models.catalog(models),
                config.get(InferenceOptions.MODEL_RELOAD_INTERVAL),
                calendars,
                ForecastSettings.tracker(config, calendars),
                config.get(PipelineOptions.WINDOW_TTL),
                config.get(PipelineOptions.OUT_OF_ORDERNESS),
                config.get(PipelineOptions.IDLENESS),
                config.get(InferenceOptions.BATCH_SIZE),
                config.get(InferenceOptions.BATCH_WAIT),
                config.get(InferenceOptions.TIMEOUT),
                config.get(InferenceOptions.CAPACITY),
                config.get(MonitorOptions.ALERTS_MIN_INTERVAL),
                config.get(MonitorOptions.ALERTS_DEAD_LETTERS_PER_MINUTE),
                config.source() == SourceKind.SIMULATOR
                        ? null
                        : config.get(PipelineOptions.MAX_AHEAD));
    }

    /** The rules every bar is checked against before it may move event time or enter state. */
    public BarChecks barChecks() {
        Duration interval = tracker.interval();
        return maxAheadOfClock == null
                ? BarChecks.withoutClock(interval)
                : BarChecks.againstClock(interval, maxAheadOfClock, Clock.systemUTC());
    }

    /** The spec of the default model, which serves every symbol without a model of its own. */
    public ModelSpec defaultSpec() {
        return initialCatalog.stream()
                .filter(m -> m.folder().equals(ModelRegistry.DEFAULT))
                .findFirst()
                .map(ModelVersion::spec)
                .orElseThrow();
    }
}
