package io.barcast.core.confidence;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How well forecasts did at short horizons, over {@code points} checked forecast points: either a
 * symbol's own validated forecasts or a model's held-out test.
 *
 * @param points how many forecast points were checked against what happened
 * @param modelMae mean absolute error of the forecast cumulative log returns
 * @param naiveMae mean absolute error of the "no change" forecast over the same points
 * @param directionalAccuracy share of points whose forecast direction was right, in [0, 1]
 */
public record TrackRecord(
        int points, double modelMae, double naiveMae, double directionalAccuracy) {

    /** No record at all. */
    public static final TrackRecord NONE = new TrackRecord(0, 0, 0, 0);

    /**
     * @throws IllegalArgumentException for negative points, a negative or non-finite error, or a
     *     directional accuracy outside [0, 1]
     */
    public TrackRecord {
        if (points < 0) {
            throw new IllegalArgumentException("points must be 0 or more, got " + points);
        }
        if (!(modelMae >= 0) || !(naiveMae >= 0) || Double.isInfinite(modelMae + naiveMae)) {
            throw new IllegalArgumentException(
                    "errors must be finite and 0 or more, got modelMae "
                            + modelMae
                            + ", naiveMae "
                            + naiveMae);
        }
        if (!(directionalAccuracy >= 0 && directionalAccuracy <= 1)) {
            throw new IllegalArgumentException(
                    "directionalAccuracy must be in [0, 1], got " + directionalAccuracy);
        }
    }

    /**
     * The held-out record of a model for one calendar, from its {@code model.json} {@code training}
     * section: the sample-weighted mean of {@code metrics.test_symbols.<calendar>}'s {@code mae},
     * {@code naive_mae} and {@code directional_accuracy} over the steps up to one trading day (26
     * bars for {@code XNYS}, 96 for {@code 24x7}), {@code points} being the samples summed. Those
     * are the symbols the model never trained on, which is what a symbol without its own record is
     * to the model.
     *
     * @return {@link #NONE} when the section is missing or unreadable, or the calendar unknown
     */
    public static TrackRecord fromTrainingMetrics(JsonNode training, String calendar) {
        int maxStep = stepsInATradingDay(calendar);
        JsonNode steps =
                training == null
                        ? null
                        : training.path("metrics")
                                .path("test_symbols")
                                .path(String.valueOf(calendar));
        if (maxStep == 0 || steps == null || !steps.isArray()) {
            return NONE;
        }
        long samples = 0;
        double mae = 0;
        double naiveMae = 0;
        double accuracy = 0;
        for (JsonNode step : steps) {
            if (!step.path("step").canConvertToInt() || step.path("step").asInt() > maxStep) {
                continue;
            }
            long n = step.path("samples").asLong(0);
            JsonNode stepMae = step.path("mae");
            JsonNode stepNaive = step.path("naive_mae");
            JsonNode stepAccuracy = step.path("directional_accuracy");
            if (n <= 0
                    || !stepMae.isNumber()
                    || !stepNaive.isNumber()
                    || !stepAccuracy.isNumber()) {
                continue;
            }
            samples += n;
            mae += n * stepMae.asDouble();
            naiveMae += n * stepNaive.asDouble();
            accuracy += n * stepAccuracy.asDouble();
        }
        if (samples == 0) {
            return NONE;
        }
        try {
            return new TrackRecord(
                    (int) Math.min(samples, Integer.MAX_VALUE),
                    mae / samples,
                    naiveMae / samples,
                    accuracy / samples);
        } catch (IllegalArgumentException unreadable) {
            return NONE;
        }
    }

    /**
     * 1 - modelMae / naiveMae: how much smaller the model's error is than no-change's; 0 if
     * unknown.
     */
    public double skill() {
        return points > 0 && naiveMae > 0 ? 1 - modelMae / naiveMae : 0;
    }

    /**
     * Bars in a trading day of {@code calendar}: the horizon steps a short-horizon record counts.
     * Only the calendars barcast knows (ModelSpec.KNOWN_CALENDARS); a new one adds its day here.
     */
    public static int stepsInATradingDay(String calendar) {
        if ("XNYS".equals(calendar)) {
            return 26;
        }
        if ("24x7".equals(calendar)) {
            return 96;
        }
        return 0;
    }
}
