package io.barcast.api;

import io.barcast.functions.models.ModelLocation;
import io.barcast.functions.track.TrackerSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code POST /api/v1/predict} needs to forecast as the job does: the same model folders and
 * the same forecast settings (calendars, band, confidence), built from the same options. The models
 * are looked at again every {@code reloadInterval}, as the job does.
 *
 * @param batchSize the most windows one ONNX Runtime call takes
 * @param batchWait how long a window waits for others to share its call
 */
public record Forecasting(
        ModelLocation models,
        TrackerSettings settings,
        int batchSize,
        Duration batchWait,
        Duration reloadInterval) {

    public Forecasting {
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(batchWait, "batchWait");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
    }
}
