package io.barcast.functions.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.core.InferenceResult.ModelFacts;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.confidence.TrackRecord;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.models.OnnxModel;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ModelFacts} each forecast carries, worked out once per model version and calendar:
 * reading a model's held-out metrics on every forecast would cost more than the inference.
 */
public final class ModelFactsCache {

    private final SymbolCalendars calendars;
    private final Map<String, ModelFacts> facts = new ConcurrentHashMap<>();

    public ModelFactsCache(SymbolCalendars calendars) {
        this.calendars = calendars;
    }

    /** The facts of {@code model}, serving from {@code folder}, for {@code symbol}'s calendar. */
    public ModelFacts of(String folder, OnnxModel model, String symbol) {
        ModelSpec spec = model.spec();
        String calendar = calendars.of(symbol).name();
        String key = folder + "\u0000" + spec.version() + "\u0000" + calendar;
        return facts.computeIfAbsent(
                key,
                k ->
                        new ModelFacts(
                                folder,
                                spec.name(),
                                spec.version(),
                                spec.output().horizonSteps(),
                                spec.output().quantiles() == null
                                        ? new double[0]
                                        : spec.output().quantiles(),
                                trainedAt(spec.training()),
                                TrackRecord.fromTrainingMetrics(spec.training(), calendar)));
    }

    /**
     * The point forecast in a row of model output: the row itself, or for a quantile model the
     * median of each step.
     */
    public static float[] pointForecast(ModelSpec spec, float[] row) {
        int perStep = spec.output().valuesPerStep();
        if (perStep == 1) {
            return row;
        }
        int median = spec.output().medianIndex();
        int steps = spec.output().horizonSteps().length;
        float[] point = new float[steps];
        for (int step = 0; step < steps; step++) {
            point[step] = row[step * perStep + median];
        }
        return point;
    }

    /** {@code training.date} (ISO date or instant) as epoch ms, or 0 when it is missing. */
    static long trainedAt(JsonNode training) {
        JsonNode date = training == null ? null : training.get("date");
        if (date == null || !date.isTextual()) {
            return 0L;
        }
        String text = date.asText();
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notADate) {
            try {
                return java.time.Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException notAnInstant) {
                return 0L;
            }
        }
    }
}
