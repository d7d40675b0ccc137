package io.barcast.functions.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.model.ModelBundle;
import io.barcast.functions.TestModels;
import java.nio.FloatBuffer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Opening a model checks it against its model.json; predictions come back one row a window. */
class OnnxModelTest {

    @Test
    void aQuantileModelGivesEveryStepsQuantilesInTurn() throws Exception {
        try (OnnxModel model = new OnnxModel(TestModels.resource("quantile"))) {
            assertThat(model.outputWidth()).isEqualTo(2 * 3);

            float[][] rows = model.predict(TestModels.zeroWindows(2, model.windowSize()), 2);

            assertThat(rows).hasDimensions(2, 6);
            // test_models.py: medians 0.001 and 0.002, quantiles 0.01 and 0.02 off the median
            assertThat(rows[0])
                    .containsExactly(
                            new float[] {-0.009f, 0.001f, 0.011f, -0.018f, 0.002f, 0.022f},
                            within(1e-7f));
            assertThat(rows[1]).containsExactly(rows[0]);
        }
    }

    @Test
    void eachWindowGetsItsOwnRow() throws Exception {
        try (OnnxModel model = new OnnxModel(TestModels.resource("quantile"))) {
            FloatBuffer windows = TestModels.zeroWindows(2, model.windowSize());
            for (int i = 0; i < model.windowSize(); i++) {
                windows.put(model.windowSize() + i, 0.01f);
            }

            float[][] rows = model.predict(windows, 2);

            // the window's mean (0.01) moves step 1 by half of it and step 2 by all of it
            assertThat(rows[1][1] - rows[0][1]).isCloseTo(0.005f, within(1e-6f));
            assertThat(rows[1][4] - rows[0][4]).isCloseTo(0.01f, within(1e-6f));
        }
    }

    @Test
    void aPointModelGivesOneValuePerStep() throws Exception {
        try (OnnxModel model = new OnnxModel(TestModels.resource("tiny"))) {
            float[][] rows = model.predict(TestModels.zeroWindows(3, model.windowSize()), 3);

            assertThat(rows).hasDimensions(3, 14);
        }
    }

    @Test
    void refusesAnInputOfAnotherWindowLength() {
        assertRefused(
                "wrong-input",
                "input 'window' has shape [batch, 5, 2], model.json says [batch, 3, 2]"
                        + " (input.sequence_length 3, 2 input.features)");
    }

    @Test
    void refusesAnInputWhoseWindowLengthIsDynamic() {
        assertRefused(
                "dynamic-sequence",
                "input 'window' has shape [batch, time, 2]: only the batch dimension may be"
                        + " dynamic");
    }

    @Test
    void refusesAnInputOfDoubles() {
        assertRefused(
                "double-input",
                "input 'window' holds DOUBLE values [batch, 3, 2], barcast needs FLOAT (float32)");
    }

    @Test
    void refusesAModelWhoseTestRunIsNotFinite() {
        assertRefused(
                "non-finite",
                "a test run on a zero batch of 2 gave NaN (row 0, value 0); every output must be"
                        + " finite");
    }

    @Test
    void refusesInputAndOutputNamesTheGraphDoesNotHave() {
        assertRefused(
                edited("tiny", spec -> ((ObjectNode) spec.get("input")).put("name", "bars")),
                "has no input named 'bars' (input.name in model.json); it has [window]");
        assertRefused(
                edited("tiny", spec -> ((ObjectNode) spec.get("output")).put("name", "path")),
                "has no output named 'path' (output.name in model.json); it has [log_returns]");
    }

    @Test
    void refusesAnOutputOfAnotherWidth() {
        assertRefused(
                edited("tiny", spec -> ((ArrayNode) spec.at("/output/horizon_steps")).remove(13)),
                "output 'log_returns' has shape [batch, 14], model.json says [batch, 13]"
                        + " (13 output.horizon_steps)");
        assertRefused(
                edited(
                        "tiny",
                        spec ->
                                ((ObjectNode) spec.get("output"))
                                        .putArray("quantiles")
                                        .add(0.1)
                                        .add(0.5)
                                        .add(0.9)),
                "output 'log_returns' has shape [batch, 14], model.json says [batch, 14, 3]"
                        + " (14 output.horizon_steps, 3 output.quantiles)");
        assertRefused(
                edited("quantile", spec -> ((ObjectNode) spec.get("output")).remove("quantiles")),
                "output 'log_returns' has shape [batch, 2, 3], model.json says [batch, 2]");
    }

    @Test
    void refusesBytesThatAreNotAModel() throws Exception {
        ModelBundle tiny = TestModels.resource("tiny");
        ModelBundle garbage =
                ModelBundle.of(tiny.specJson().getBytes(), new byte[] {1, 2, 3}, "garbage");

        assertThatThrownBy(() -> new OnnxModel(garbage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model garbage: ONNX Runtime cannot load model.onnx");
    }

    @Test
    void aClosedModelRefusesToPredict() throws Exception {
        OnnxModel model = new OnnxModel(TestModels.resource("quantile"));
        model.close();
        model.close();

        assertThat(model.isClosed()).isTrue();
        assertThatThrownBy(() -> model.predict(TestModels.zeroWindows(1, model.windowSize()), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    private static ModelBundle edited(String name, Consumer<ObjectNode> edit) {
        try {
            return TestModels.withSpec(TestModels.resource(name), edit, "edited/" + name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(String resource, String message) {
        ModelBundle bundle;
        try {
            bundle = TestModels.resource(resource);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertRefused(bundle, message);
    }

    private static void assertRefused(ModelBundle bundle, String message) {
        assertThatThrownBy(() -> new OnnxModel(bundle).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model " + bundle.source() + ": ")
                .hasMessageContaining(message);
    }
}
