package io.barcast.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.Bar;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Models and bars the function tests share. */
public final class TestModels {

    public static final Duration INTERVAL = Duration.ofMinutes(15);

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestModels() {}

    /** The real default model of the repository. */
    public static ModelBundle defaultModel() throws Exception {
        return ModelBundle.load(Path.of("..", "models", "default"));
    }

    /**
     * A model folder on the test classpath: core's {@code tiny} (an untrained LSTM with the default
     * model's contract) or one of {@code models/training/test_models.py}'s ({@code quantile},
     * {@code wrong-input}, ...).
     */
    public static ModelBundle resource(String name) throws IOException {
        return ModelBundle.loadResource("models/" + name);
    }

    /** {@code bundle}'s model.json as editable JSON. */
    public static ObjectNode specJson(ModelBundle bundle) throws IOException {
        return (ObjectNode) JSON.readTree(bundle.specJson());
    }

    /** {@code bundle} with its model.json edited by {@code edit}, loaded from {@code source}. */
    public static ModelBundle withSpec(ModelBundle bundle, Consumer<ObjectNode> edit, String source)
            throws IOException {
        ObjectNode json = specJson(bundle);
        edit.accept(json);
        return ModelBundle.of(JSON.writeValueAsBytes(json), bundle.onnx(), source);
    }

    /**
     * Writes {@code bundle}'s two files into {@code dir}, with its model.json edited by {@code
     * edit}.
     */
    public static void write(Path dir, ModelBundle bundle, Consumer<ObjectNode> edit)
            throws IOException {
        ObjectNode json = specJson(bundle);
        edit.accept(json);
        Files.createDirectories(dir);
        Files.write(dir.resolve(ModelBundle.ONNX_FILE), bundle.onnx());
        Files.write(
                dir.resolve(ModelBundle.SPEC_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    /** A direct buffer of {@code batch} windows of zeros. */
    public static FloatBuffer zeroWindows(int batch, int windowSize) {
        return ByteBuffer.allocateDirect(batch * windowSize * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** A tiny spec: two features (2 bars of lookback), windows of 3, identity scaler. */
    public static ModelSpec tinySpec() {
        return new ModelSpec(
                "tiny",
                "1",
                INTERVAL,
                List.of("XNYS", "24x7"),
                new ModelSpec.Input(
                        "window",
                        3,
                        List.of("log_return", "range"),
                        new ModelSpec.Scaler("standard", new double[] {0, 0}, new double[] {1, 1})),
                new ModelSpec.Output(
                        "log_returns", "direct", "cumulative_log_return", new int[] {1, 2}),
                null);
    }

    /** {@code count} valid bars of a 24x7 symbol, one per 15 minutes from {@code start}. */
    public static List<Bar> bars(String symbol, long start, int count) {
        List<Bar> bars = new ArrayList<>();
        double price = 100;
        for (int i = 0; i < count; i++) {
            double next = price * (1 + 0.001 * ((i % 5) - 2));
            bars.add(
                    Bar.of(
                            symbol,
                            start + i * INTERVAL.toMillis(),
                            price,
                            Math.max(price, next) + 0.5,
                            Math.min(price, next) - 0.5,
                            next,
                            1000 + i));
            price = next;
        }
        return bars;
    }
}
