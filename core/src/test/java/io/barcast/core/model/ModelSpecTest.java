package io.barcast.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.testing.JavaSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parsesAModelJson() throws IOException {
        ModelSpec spec = parse(valid());

        assertThat(spec.name()).isEqualTo("tiny-untrained");
        assertThat(spec.interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(spec.calendars()).containsExactly("XNYS", "24x7");
        assertThat(spec.input().name()).isEqualTo("window");
        assertThat(spec.input().sequenceLength()).isEqualTo(64);
        assertThat(spec.input().features()).hasSize(10).startsWith("log_return");
        assertThat(spec.input().scaler().kind()).isEqualTo("standard");
        assertThat(spec.input().scaler().mean()).hasSize(10);
        assertThat(spec.output().name()).isEqualTo("log_returns");
        assertThat(spec.output().horizonSteps())
                .containsExactly(1, 2, 4, 8, 16, 26, 52, 78, 104, 130, 260, 390, 520, 672);
        assertThat(spec.training().path("export_check").path("log_returns").size()).isEqualTo(2);
        assertThat(spec.barsNeeded()).isEqualTo(64 + 21 - 1);
        assertThatCode(spec::validate).doesNotThrowAnyException();
    }

    @Test
    void scalerStandardisesIntoFloatsAtTheOffset() {
        ModelSpec.Scaler scaler =
                new ModelSpec.Scaler("standard", new double[] {1, -2}, new double[] {2, 0.5});
        float[] dest = new float[4];

        scaler.apply(new double[] {5, -1}, dest, 1);

        assertThat(dest).containsExactly(0f, 2f, 2f, 0f);
        assertThatThrownBy(() -> scaler.apply(new double[] {1}, dest, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAScalerOfTheWrongSize() throws IOException {
        assertInvalid(
                spec -> ((ArrayNode) spec.at("/input/scaler/mean")).remove(0),
                "model.json: input.scaler.mean has 9 values, expected 10 (one per feature)");
        assertInvalid(
                spec -> ((ArrayNode) spec.at("/input/scaler/scale")).add(1.0),
                "model.json: input.scaler.scale has 11 values, expected 10 (one per feature)");
    }

    @Test
    void namesANonPositiveScale() throws IOException {
        assertInvalid(
                spec -> ((ArrayNode) spec.at("/input/scaler/scale")).set(5, 0.0),
                "input.scaler.scale[5] (rsi14) must be positive");
    }

    @Test
    void namesAnUnknownFeature() throws IOException {
        assertInvalid(
                spec -> ((ArrayNode) spec.at("/input/features")).set(2, "macd"),
                "model.json: input.features: unknown feature macd");
    }

    @Test
    void namesStepsThatDoNotAscend() throws IOException {
        assertInvalid(
                spec -> ((ArrayNode) spec.at("/output/horizon_steps")).set(3, 2),
                "output.horizon_steps must ascend, but 2 follows 4");
        assertInvalid(
                spec -> ((ArrayNode) spec.at("/output/horizon_steps")).set(0, 0),
                "output.horizon_steps[0] must be positive");
        assertInvalid(
                spec -> ((ObjectNode) spec.get("output")).putArray("horizon_steps"),
                "output.horizon_steps is missing");
    }

    @Test
    void readsQuantilesAndWidensTheOutputByThem() throws IOException {
        ObjectNode json = valid();
        ((ObjectNode) json.get("output")).putArray("quantiles").add(0.1).add(0.5).add(0.9);
        ModelSpec spec = parse(json);

        assertThatCode(spec::validate).doesNotThrowAnyException();
        assertThat(spec.output().quantiles()).containsExactly(0.1, 0.5, 0.9);
        assertThat(spec.output().valuesPerStep()).isEqualTo(3);
        assertThat(spec.output().medianIndex()).isEqualTo(1);
        assertThat(spec.outputWidth()).isEqualTo(14 * 3);
        assertThat(parse(spec.toJson()).output().quantiles()).containsExactly(0.1, 0.5, 0.9);
    }

    @Test
    void aPointForecastHasOneValuePerStepAndWritesNoQuantiles() throws IOException {
        ModelSpec spec = parse(valid());

        assertThat(spec.output().quantiles()).isNull();
        assertThat(spec.output().medianIndex()).isZero();
        assertThat(spec.outputWidth()).isEqualTo(14);
        assertThat(spec.toJson()).doesNotContain("quantiles");
    }

    @Test
    void namesQuantilesThatDoNotAscendStrictly() throws IOException {
        assertInvalid(
                spec -> quantiles(spec, 0.1, 0.5, 0.5, 0.9),
                "model.json: output.quantiles must ascend strictly, but 0.5 follows 0.5");
        assertInvalid(
                spec -> quantiles(spec, 0.9, 0.5),
                "model.json: output.quantiles must ascend strictly, but 0.5 follows 0.9");
    }

    @Test
    void namesAQuantileOutsideZeroToOne() throws IOException {
        assertInvalid(
                spec -> quantiles(spec, 0.0, 0.5),
                "model.json: output.quantiles[0] must lie in (0, 1), got 0.0");
        assertInvalid(
                spec -> quantiles(spec, 0.5, 1.0),
                "model.json: output.quantiles[1] must lie in (0, 1), got 1.0");
    }

    @Test
    void namesQuantilesWithoutTheMedian() throws IOException {
        assertInvalid(
                spec -> quantiles(spec, 0.1, 0.9),
                "model.json: output.quantiles must contain 0.5: the median is the forecast path");
        assertInvalid(
                spec -> quantiles(spec),
                "model.json: output.quantiles is empty; leave it out for a point forecast");
    }

    private static void quantiles(ObjectNode spec, double... values) {
        ArrayNode array = ((ObjectNode) spec.get("output")).putArray("quantiles");
        for (double value : values) {
            array.add(value);
        }
    }

    @Test
    void namesAnOutputThatIsNotDirect() throws IOException {
        assertInvalid(
                spec -> ((ObjectNode) spec.get("output")).put("kind", "recursive"),
                "output.kind is recursive, expected direct");
    }

    @Test
    void namesAnotherInterval() throws IOException {
        assertInvalid(spec -> spec.put("interval", "PT5M"), "interval is PT5M");
    }

    @Test
    void namesMissingFields() throws IOException {
        assertInvalid(spec -> spec.remove("input"), "model.json: input is missing");
        assertInvalid(spec -> spec.remove("version"), "model.json: version is missing");
        assertInvalid(
                spec -> ((ObjectNode) spec.get("input")).remove("sequence_length"),
                "input.sequence_length must be positive, got 0");
        assertInvalid(
                spec -> spec.putArray("calendars").add("XLON"),
                "calendars names unknown calendar XLON");
    }

    @Test
    void roundTripsThroughJsonAndJavaSerialization() throws Exception {
        ModelSpec spec = parse(valid());

        ModelSpec fromJson = parse(spec.toJson());
        ModelSpec deserialized = JavaSerialization.roundTrip(spec);

        for (ModelSpec copy : new ModelSpec[] {fromJson, deserialized}) {
            assertThat(copy.interval()).isEqualTo(spec.interval());
            assertThat(copy.input().features()).isEqualTo(spec.input().features());
            assertThat(copy.input().scaler().scale()).isEqualTo(spec.input().scaler().scale());
            assertThat(copy.output().horizonSteps()).isEqualTo(spec.output().horizonSteps());
            assertThat(copy.training()).isEqualTo(spec.training());
            assertThatCode(copy::validate).doesNotThrowAnyException();
        }
        assertThat(spec.toJson()).contains("\"interval\" : \"PT15M\"", "\"sequence_length\"");
    }

    private static void assertInvalid(Consumer<ObjectNode> breakIt, String message)
            throws IOException {
        ObjectNode json = valid();
        breakIt.accept(json);
        ModelSpec spec = parse(json);

        assertThatThrownBy(spec::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    static ObjectNode valid() throws IOException {
        try (InputStream in =
                ModelSpecTest.class
                        .getClassLoader()
                        .getResourceAsStream("models/tiny/model.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private static ModelSpec parse(ObjectNode json) throws IOException {
        return parse(JSON.writeValueAsString(json));
    }

    private static ModelSpec parse(String json) throws IOException {
        return ModelSpec.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
