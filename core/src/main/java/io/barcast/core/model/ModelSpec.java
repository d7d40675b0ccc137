package io.barcast.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.barcast.core.Bar;
import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.features.FeatureCalculator;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a model's {@code model.json} says: the model's name and version, the bar interval and
 * calendars it was trained for, its input (window length, ordered feature names, scaler), its
 * output (horizon steps of a direct multi-horizon head) and how it was trained ({@code training},
 * free-form provenance and held-out metrics).
 *
 * <p>{@link #parse} only reads; {@link #validate} checks the contract barcast relies on.
 */
public record ModelSpec(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("interval") Duration interval,
        @JsonProperty("calendars") List<String> calendars,
        @JsonProperty("input") Input input,
        @JsonProperty("output") Output output,
        @JsonProperty("training") JsonNode training)
        implements Serializable {

    /** Calendar names a model may declare: those {@link MarketCalendar#byName} knows. */
    public static final Set<String> KNOWN_CALENDARS = Set.copyOf(MarketCalendar.NAMES);

    private static final String FILE = "model.json";

    /** The quantile whose values are the forecast path. */
    private static final double MEDIAN = 0.5;

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                    .build();

    /**
     * The model's input tensor: {@code [batch, sequenceLength, features.size()]} floats, oldest bar
     * first, each feature scaled by {@code scaler}.
     */
    public record Input(
            @JsonProperty("name") String name,
            @JsonProperty("sequence_length") int sequenceLength,
            @JsonProperty("features") List<String> features,
            @JsonProperty("scaler") Scaler scaler)
            implements Serializable {}

    /** Per-feature standardisation fitted on the training data: {@code (raw - mean) / scale}. */
    public record Scaler(
            @JsonProperty("kind") String kind,
            @JsonProperty("mean") double[] mean,
            @JsonProperty("scale") double[] scale)
            implements Serializable {

        /** Writes {@code raw} scaled to {@code dest[destOffset .. destOffset + raw.length)}. */
        public void apply(double[] raw, float[] dest, int destOffset) {
            if (raw.length != mean.length) {
                throw new IllegalArgumentException(
                        "scaler has " + mean.length + " features, got " + raw.length);
            }
            for (int i = 0; i < raw.length; i++) {
                dest[destOffset + i] = (float) ((raw[i] - mean[i]) / scale[i]);
            }
        }
    }

    /**
     * The model's output tensor: the {@code target} (the cumulative log return from the newest
     * input bar's close) at each step; a step counts bars on the symbol's own calendar. Without
     * {@code quantiles} the tensor is {@code [batch, horizonSteps.length]}; with them it is {@code
     * [batch, horizonSteps.length, quantiles.length]}, the target's quantiles at those
     * probabilities, ascending, one of them the median (0.5), which is the forecast path.
     */
    public record Output(
            @JsonProperty("name") String name,
            @JsonProperty("kind") String kind,
            @JsonProperty("target") String target,
            @JsonProperty("horizon_steps") int[] horizonSteps,
            @JsonProperty("quantiles") @JsonInclude(JsonInclude.Include.NON_NULL)
                    double[] quantiles)
            implements Serializable {

        /** A point forecast: one value per step, no quantiles. */
        public Output(String name, String kind, String target, int[] horizonSteps) {
            this(name, kind, target, horizonSteps, null);
        }

        /** Values the model gives per step: its quantile count, or 1 for a point forecast. */
        public int valuesPerStep() {
            return quantiles == null ? 1 : quantiles.length;
        }

        /**
         * Where the forecast path lies within a step's values: the median's index, or 0 for a point
         * forecast.
         */
        public int medianIndex() {
            if (quantiles == null) {
                return 0;
            }
            for (int i = 0; i < quantiles.length; i++) {
                if (quantiles[i] == MEDIAN) {
                    return i;
                }
            }
            throw new IllegalStateException("output.quantiles has no median (0.5)");
        }
    }

    /** Reads a {@code model.json}; call {@link #validate()} before relying on it. */
    public static ModelSpec parse(InputStream json) throws IOException {
        return MAPPER.readValue(json, ModelSpec.class);
    }

    /** This spec as {@code model.json} text. */
    public String toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model spec " + name, e);
        }
    }

    /** The calculator of this model's input features, in its order. */
    public FeatureCalculator featureCalculator() {
        return FeatureCalculator.forNames(input.features());
    }

    /**
     * Floats the model gives per window: one per horizon step, times the quantiles per step when it
     * has them. Quantile outputs are flattened step-major: step 0's quantiles, then step 1's.
     */
    public int outputWidth() {
        return output.horizonSteps().length * output.valuesPerStep();
    }

    /** Bars of history one forecast needs: a full window of features, each with its lookback. */
    public int barsNeeded() {
        return input.sequenceLength() + featureCalculator().lookback() - 1;
    }

    /**
     * Checks that barcast can serve this model.
     *
     * @throws IllegalArgumentException naming the first offending field, e.g. {@code model.json:
     *     input.scaler.mean has 9 values, expected 10 (one per feature)}
     */
    public void validate() {
        validate(FILE);
    }

    /** As {@link #validate()}, the message starting with {@code where} instead of model.json. */
    void validate(String where) {
        require(where, notBlank(name), "name is missing");
        require(where, notBlank(version), "version is missing");
        require(where, interval != null, "interval is missing");
        require(
                where,
                Bar.INTERVAL.equals(interval),
                "interval is " + interval + ", barcast serves " + Bar.INTERVAL + " bars only");
        require(where, calendars != null && !calendars.isEmpty(), "calendars is missing");
        for (String calendar : calendars) {
            require(
                    where,
                    KNOWN_CALENDARS.contains(calendar),
                    "calendars names unknown calendar "
                            + calendar
                            + ", known: "
                            + KNOWN_CALENDARS.stream().sorted().toList());
        }
        validateInput(where);
        validateOutput(where);
    }

    private void validateInput(String where) {
        require(where, input != null, "input is missing");
        require(where, notBlank(input.name()), "input.name is missing");
        require(
                where,
                input.sequenceLength() > 0,
                "input.sequence_length must be positive, got " + input.sequenceLength());
        require(
                where,
                input.features() != null && !input.features().isEmpty(),
                "input.features is missing");
        try {
            FeatureCalculator.forNames(input.features());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": input.features: " + e.getMessage(), e);
        }
        int count = input.features().size();
        Scaler scaler = input.scaler();
        require(where, scaler != null, "input.scaler is missing");
        require(
                where,
                "standard".equals(scaler.kind()),
                "input.scaler.kind is " + scaler.kind() + ", expected standard");
        requireValues(where, "input.scaler.mean", scaler.mean(), count);
        requireValues(where, "input.scaler.scale", scaler.scale(), count);
        for (int i = 0; i < count; i++) {
            require(
                    where,
                    Double.isFinite(scaler.mean()[i]),
                    "input.scaler.mean[" + i + "] is not finite");
            require(
                    where,
                    Double.isFinite(scaler.scale()[i]) && scaler.scale()[i] > 0,
                    "input.scaler.scale["
                            + i
                            + "] ("
                            + input.features().get(i)
                            + ") must be positive and finite, got "
                            + scaler.scale()[i]);
        }
    }

    private void validateOutput(String where) {
        require(where, output != null, "output is missing");
        require(where, notBlank(output.name()), "output.name is missing");
        require(
                where,
                "direct".equals(output.kind()),
                "output.kind is " + output.kind() + ", expected direct");
        require(
                where,
                "cumulative_log_return".equals(output.target()),
                "output.target is " + output.target() + ", expected cumulative_log_return");
        int[] steps = output.horizonSteps();
        require(where, steps != null && steps.length > 0, "output.horizon_steps is missing");
        for (int i = 0; i < steps.length; i++) {
            require(
                    where,
                    steps[i] > 0,
                    "output.horizon_steps[" + i + "] must be positive, got " + steps[i]);
            require(
                    where,
                    i == 0 || steps[i] > steps[i - 1],
                    "output.horizon_steps must ascend, but "
                            + steps[i]
                            + " follows "
                            + (i == 0 ? 0 : steps[i - 1]));
        }
        validateQuantiles(where, output.quantiles());
    }

    private static void validateQuantiles(String where, double[] quantiles) {
        if (quantiles == null) {
            return;
        }
        require(
                where,
                quantiles.length > 0,
                "output.quantiles is empty; leave it out for a point forecast");
        boolean median = false;
        for (int i = 0; i < quantiles.length; i++) {
            require(
                    where,
                    quantiles[i] > 0 && quantiles[i] < 1,
                    "output.quantiles[" + i + "] must lie in (0, 1), got " + quantiles[i]);
            require(
                    where,
                    i == 0 || quantiles[i] > quantiles[i - 1],
                    "output.quantiles must ascend strictly, but "
                            + quantiles[i]
                            + " follows "
                            + (i == 0 ? 0 : quantiles[i - 1]));
            median |= quantiles[i] == MEDIAN;
        }
        require(
                where,
                median,
                "output.quantiles must contain 0.5: the median is the forecast path");
    }

    private static void requireValues(String where, String field, double[] values, int count) {
        require(where, values != null, field + " is missing");
        require(
                where,
                values.length == count,
                field
                        + " has "
                        + values.length
                        + " values, expected "
                        + count
                        + " (one per feature)");
    }

    private static void require(String where, boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(where + ": " + problem);
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
