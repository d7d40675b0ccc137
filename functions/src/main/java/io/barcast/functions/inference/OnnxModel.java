package io.barcast.functions.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One ONNX Runtime session of a model, safe to share between threads. Intra-op threads are 1:
 * callers run in parallel instead, which on few cores beats letting each call spread out.
 */
public final class OnnxModel implements AutoCloseable {

    private final ModelSpec spec;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final int windowSize;
    private final int outputSize;

    public OnnxModel(ModelBundle bundle) throws OrtException {
        this.spec = bundle.spec();
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            this.session = environment.createSession(bundle.onnx(), options);
        }
        this.windowSize = spec.input().sequenceLength() * spec.input().features().size();
        this.outputSize = spec.output().horizonSteps().length;
        if (!session.getInputNames().contains(spec.input().name())) {
            session.close();
            throw new IllegalArgumentException(
                    "model "
                            + bundle.source()
                            + " has no input named '"
                            + spec.input().name()
                            + "' (it has "
                            + session.getInputNames()
                            + ")");
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Floats of one request's window. */
    public int windowSize() {
        return windowSize;
    }

    /**
     * Runs a batch. {@code windows} must be a direct buffer holding {@code batch} windows from
     * position 0; it is read, not kept.
     *
     * @return one row of cumulative log returns per window
     */
    public float[][] predict(FloatBuffer windows, int batch) throws OrtException {
        windows.position(0).limit(batch * windowSize);
        long[] shape = {batch, spec.input().sequenceLength(), spec.input().features().size()};
        try (OnnxTensor input = OnnxTensor.createTensor(environment, windows, shape);
                OrtSession.Result result = session.run(Map.of(spec.input().name(), input))) {
            float[][] output = (float[][]) result.get(0).getValue();
            if (output.length != batch || output[0].length != outputSize) {
                throw new IllegalStateException(
                        "model returned ["
                                + output.length
                                + ", "
                                + output[0].length
                                + "], expected ["
                                + batch
                                + ", "
                                + outputSize
                                + "]");
            }
            return output;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
