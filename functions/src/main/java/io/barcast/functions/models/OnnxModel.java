package io.barcast.functions.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One ONNX Runtime session of a model, safe to share between threads. Intra-op threads are 1:
 * callers run in parallel instead, which on few cores beats letting each call spread out.
 *
 * <p>Opening checks the graph against {@code model.json} (input and output names, element types and
 * shapes) and runs it once on a batch of zero windows, so a model that does not fit is refused with
 * a message naming its folder before it serves anything.
 */
public final class OnnxModel implements AutoCloseable {

    /** Rows of the zero batch run at open: more than one, so a batch axis fixed at 1 is caught. */
    private static final int CHECK_BATCH = 2;

    private final ModelSpec spec;
    private final String source;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final Set<String> requestedOutputs;
    private final int windowSize;
    private final int outputWidth;
    private volatile boolean closed;

    /**
     * Opens a session of {@code bundle}'s model and checks it.
     *
     * @throws IllegalArgumentException naming the model's folder when ONNX Runtime cannot load
     *     model.onnx, or the graph does not match model.json, or its test run fails or gives values
     *     that are not finite
     * @throws OrtException when ONNX Runtime itself cannot start
     */
    public OnnxModel(ModelBundle bundle) throws OrtException {
        this.spec = bundle.spec();
        this.source = bundle.source();
        this.environment = OrtEnvironment.getEnvironment();
        this.inputName = spec.input().name();
        this.outputName = spec.output().name();
        this.requestedOutputs = Set.of(outputName);
        this.windowSize = spec.input().sequenceLength() * spec.input().features().size();
        this.outputWidth = spec.outputWidth();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            try {
                this.session = environment.createSession(bundle.onnx(), options);
            } catch (OrtException e) {
                throw refused("ONNX Runtime cannot load model.onnx: " + e.getMessage(), e);
            }
        }
        try {
            checkInput();
            checkOutput();
            checkTestRun();
        } catch (RuntimeException | OrtException e) {
            session.close();
            throw e;
        }
    }

    private void checkInput() throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        NodeInfo input = inputs.get(inputName);
        if (input == null) {
            throw refused(
                    "has no input named '"
                            + inputName
                            + "' (input.name in model.json); it has "
                            + inputs.keySet());
        }
        TensorInfo tensor = floatTensor("input", inputName, input.getInfo());
        long[] shape = tensor.getShape();
        long[] expected = {-1, spec.input().sequenceLength(), spec.input().features().size()};
        String wanted =
                "[batch, "
                        + expected[1]
                        + ", "
                        + expected[2]
                        + "] (input.sequence_length "
                        + expected[1]
                        + ", "
                        + expected[2]
                        + " input.features)";
        if (shape.length != 3) {
            throw refused(
                    "input '" + inputName + "' has shape " + describe(tensor) + ", " + wanted);
        }
        if (shape[0] > 0) {
            throw refused(
                    "input '"
                            + inputName
                            + "' has shape "
                            + describe(tensor)
                            + ": its batch dimension is fixed at "
                            + shape[0]
                            + ", but barcast runs batches of any size; export it dynamic");
        }
        for (int i = 1; i < 3; i++) {
            if (shape[i] <= 0) {
                // Only the batch may vary: a window length or feature count the graph leaves open
                // cannot be checked against model.json, and the exporter usually fixes them.
                throw refused(
                        "input '"
                                + inputName
                                + "' has shape "
                                + describe(tensor)
                                + ": only the batch dimension may be dynamic; model.json says "
                                + wanted);
            }
            if (shape[i] != expected[i]) {
                throw refused(
                        "input '"
                                + inputName
                                + "' has shape "
                                + describe(tensor)
                                + ", model.json says "
                                + wanted);
            }
        }
    }

    private void checkOutput() throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo output = outputs.get(outputName);
        if (output == null) {
            throw refused(
                    "has no output named '"
                            + outputName
                            + "' (output.name in model.json); it has "
                            + outputs.keySet());
        }
        TensorInfo tensor = floatTensor("output", outputName, output.getInfo());
        long[] shape = tensor.getShape();
        long[] expected = expectedOutputShape(-1);
        boolean matches = shape.length == expected.length;
        // A dimension the graph leaves dynamic is checked by the test run instead.
        for (int i = 1; matches && i < shape.length; i++) {
            matches = shape[i] <= 0 || shape[i] == expected[i];
        }
        if (!matches) {
            throw refused(
                    "output '"
                            + outputName
                            + "' has shape "
                            + describe(tensor)
                            + ", model.json says "
                            + describeOutput());
        }
    }

    private void checkTestRun() {
        FloatBuffer zeros =
                ByteBuffer.allocateDirect(CHECK_BATCH * windowSize * Float.BYTES)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        float[][] rows;
        try {
            rows = predict(zeros, CHECK_BATCH);
        } catch (OrtException | IllegalStateException e) {
            throw refused(
                    "a test run on a zero batch of " + CHECK_BATCH + " failed: " + e.getMessage(),
                    e);
        }
        for (int row = 0; row < rows.length; row++) {
            for (int i = 0; i < outputWidth; i++) {
                if (!Float.isFinite(rows[row][i])) {
                    throw refused(
                            "a test run on a zero batch of "
                                    + CHECK_BATCH
                                    + " gave "
                                    + rows[row][i]
                                    + " (row "
                                    + row
                                    + ", value "
                                    + i
                                    + "); every output must be finite");
                }
            }
        }
    }

    private TensorInfo floatTensor(String kind, String name, ValueInfo info) {
        if (!(info instanceof TensorInfo tensor)) {
            throw refused(kind + " '" + name + "' is not a tensor but " + info);
        }
        if (tensor.type != OnnxJavaType.FLOAT) {
            throw refused(
                    kind
                            + " '"
                            + name
                            + "' holds "
                            + tensor.type
                            + " values "
                            + describe(tensor)
                            + ", barcast needs FLOAT (float32)");
        }
        return tensor;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Where the model was loaded from, as {@link ModelBundle#source()} says. */
    public String source() {
        return source;
    }

    /** Floats of one request's window. */
    public int windowSize() {
        return windowSize;
    }

    /** Floats of one window's forecast: {@link ModelSpec#outputWidth()}. */
    public int outputWidth() {
        return outputWidth;
    }

    /**
     * Runs a batch. {@code windows} must be a direct buffer holding {@code batch} windows from
     * position 0; it is read, not kept.
     *
     * @return one row of {@link #outputWidth()} values per window: the cumulative log return at
     *     each horizon step, or for a quantile model each step's quantiles in turn (step 0's, then
     *     step 1's, ...)
     * @throws IllegalStateException when the model is closed or returns another shape
     */
    public float[][] predict(FloatBuffer windows, int batch) throws OrtException {
        if (closed) {
            throw new IllegalStateException("model " + source + " is closed");
        }
        windows.position(0).limit(batch * windowSize);
        long[] shape = {batch, spec.input().sequenceLength(), spec.input().features().size()};
        try (OnnxTensor input = OnnxTensor.createTensor(environment, windows, shape);
                OrtSession.Result result =
                        session.run(Map.of(inputName, input), requestedOutputs)) {
            OnnxValue value =
                    result.get(outputName)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "model "
                                                            + source
                                                            + " returned no "
                                                            + outputName));
            long[] actual = ((OnnxTensor) value).getInfo().getShape();
            long[] expected = expectedOutputShape(batch);
            if (!Arrays.equals(actual, expected)) {
                throw new IllegalStateException(
                        "model "
                                + source
                                + " returned "
                                + Arrays.toString(actual)
                                + ", expected "
                                + Arrays.toString(expected));
            }
            // Row-major data of [batch, steps(, quantiles)] is already step-major within a row.
            FloatBuffer data = ((OnnxTensor) value).getFloatBuffer();
            float[][] rows = new float[batch][outputWidth];
            for (float[] row : rows) {
                data.get(row);
            }
            return rows;
        }
    }

    private long[] expectedOutputShape(long batch) {
        int steps = spec.output().horizonSteps().length;
        return spec.output().quantiles() == null
                ? new long[] {batch, steps}
                : new long[] {batch, steps, spec.output().quantiles().length};
    }

    private String describeOutput() {
        int steps = spec.output().horizonSteps().length;
        double[] quantiles = spec.output().quantiles();
        return quantiles == null
                ? "[batch, " + steps + "] (" + steps + " output.horizon_steps)"
                : "[batch, "
                        + steps
                        + ", "
                        + quantiles.length
                        + "] ("
                        + steps
                        + " output.horizon_steps, "
                        + quantiles.length
                        + " output.quantiles)";
    }

    /**
     * A shape as the graph declares it, a dynamic dimension by its name: {@code [batch, 64, 10]}.
     */
    private static String describe(TensorInfo tensor) {
        long[] shape = tensor.getShape();
        String[] names = tensor.getDimensionNames();
        String[] dims = new String[shape.length];
        for (int i = 0; i < shape.length; i++) {
            boolean named = names != null && i < names.length && !names[i].isEmpty();
            dims[i] = shape[i] > 0 ? Long.toString(shape[i]) : named ? names[i] : "?";
        }
        return Arrays.stream(dims).collect(Collectors.joining(", ", "[", "]"));
    }

    private IllegalArgumentException refused(String problem) {
        return refused(problem, null);
    }

    private IllegalArgumentException refused(String problem, Exception cause) {
        return new IllegalArgumentException("model " + source + ": " + problem, cause);
    }

    /** Whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the session; a call still running on it must have finished. Idempotent. */
    @Override
    public synchronized void close() throws OrtException {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}
