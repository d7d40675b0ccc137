import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.barcast.core.Bar;
import io.barcast.core.features.FeatureCalculator;
import io.barcast.core.features.RecentBars;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import io.barcast.core.simulator.MarketSimulator;
import io.barcast.core.simulator.SymbolState;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a model folder the way barcast will serve it, with ONNX Runtime: model.json validates, the
 * graph takes [batch, sequence_length, features] floats named as model.json says and returns
 * [batch, horizon steps]; it reproduces training.export_check (the exporter's own outputs for a
 * fixed input); and a batch of windows built by core's FeatureCalculator and scaler from simulated
 * bars gives the same forecasts batched as one by one.
 *
 * <p>Run from the repository root after building core (see models/training/README.md):
 *
 * <pre>java -cp CLASSPATH models/training/VerifyModel.java models/default</pre>
 */
public class VerifyModel {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "models/default");
        ModelBundle bundle = ModelBundle.load(dir);
        ModelSpec spec = bundle.spec();
        int length = spec.input().sequenceLength();
        int featureCount = spec.input().features().size();
        int steps = spec.output().horizonSteps().length;
        System.out.println("loaded " + bundle + ", " + bundle.onnx().length + " bytes of ONNX");

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        try (OrtSession session = env.createSession(bundle.onnx(), options)) {
            checkTensor(
                    "input",
                    session.getInputInfo(),
                    spec.input().name(),
                    new long[] {-1, length, featureCount});
            checkTensor(
                    "output",
                    session.getOutputInfo(),
                    spec.output().name(),
                    new long[] {-1, steps});

            JsonNode check =
                    spec.training() == null
                            ? MissingNode.getInstance()
                            : spec.training().path("export_check");
            if (check.isMissingNode()) {
                System.out.println("no training.export_check in model.json: skipped");
            } else {
                float[] input = new float[2 * length * featureCount];
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < length; t++) {
                        for (int f = 0; f < featureCount; f++) {
                            input[(b * length + t) * featureCount + f] =
                                    (float) Math.sin(0.37 * (t + 1) * (f + 1) + b);
                        }
                    }
                }
                float[][] actual = run(env, session, spec, input, 2);
                double worst = 0;
                for (int b = 0; b < 2; b++) {
                    for (int j = 0; j < steps; j++) {
                        double expected = check.get("log_returns").get(b).get(j).asDouble();
                        worst = Math.max(worst, Math.abs(expected - actual[b][j]));
                    }
                }
                require(worst < 1e-5, "export_check differs from the exporter by " + worst);
                System.out.printf("export_check reproduced, largest difference %.2e%n", worst);
            }

            List<float[]> windows = simulatedWindows(spec, 4);
            float[] batch = new float[windows.size() * length * featureCount];
            for (int i = 0; i < windows.size(); i++) {
                System.arraycopy(
                        windows.get(i), 0, batch, i * length * featureCount, length * featureCount);
            }
            float[][] together = run(env, session, spec, batch, windows.size());
            for (int i = 0; i < windows.size(); i++) {
                float[] alone = run(env, session, spec, windows.get(i), 1)[0];
                for (int j = 0; j < steps; j++) {
                    require(
                            Math.abs(alone[j] - together[i][j]) < 1e-5,
                            "window " + i + " forecasts differently batched and alone");
                    require(Float.isFinite(alone[j]), "window " + i + " forecast is not finite");
                }
                System.out.println(
                        "simulated window " + i + ": log returns " + Arrays.toString(alone));
            }
        }
        System.out.println("OK: " + dir);
    }

    private static void checkTensor(
            String kind, Map<String, NodeInfo> nodes, String name, long[] shape) throws Exception {
        require(nodes.containsKey(name), "no " + kind + " " + name + ", only " + nodes.keySet());
        long[] actual = ((TensorInfo) nodes.get(name).getInfo()).getShape();
        require(
                Arrays.equals(actual, shape),
                kind + " " + name + " has shape " + Arrays.toString(actual));
        System.out.println(kind + " " + name + " " + Arrays.toString(actual));
    }

    private static float[][] run(
            OrtEnvironment env, OrtSession session, ModelSpec spec, float[] input, int batch)
            throws Exception {
        long[] shape = {batch, spec.input().sequenceLength(), spec.input().features().size()};
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                OrtSession.Result result = session.run(Map.of(spec.input().name(), tensor))) {
            float[][] out = (float[][]) result.get(spec.output().name()).orElseThrow().getValue();
            require(out.length == batch, "output has " + out.length + " rows for batch " + batch);
            return out;
        }
    }

    /** Scaled feature windows of simulated bars of a stock and a crypto pair, oldest bar first. */
    private static List<float[]> simulatedWindows(ModelSpec spec, int count) {
        FeatureCalculator calculator = spec.featureCalculator();
        int length = spec.input().sequenceLength();
        int featureCount = calculator.featureCount();
        MarketSimulator simulator = new MarketSimulator(7);
        List<float[]> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String symbol = MarketSimulator.symbols(4).get(i);
            SymbolState state =
                    simulator.start(symbol, Instant.parse("2024-06-03T00:00:00Z").toEpochMilli());
            List<Bar> bars = new ArrayList<>();
            for (int n = 0; n < spec.barsNeeded(); n++) {
                MarketSimulator.Step step = simulator.next(state);
                bars.add(step.bar());
                state = step.next();
            }
            float[] window = new float[length * featureCount];
            double[] raw = new double[featureCount];
            for (int t = 0; t < length; t++) {
                int current = bars.size() - length + t;
                calculator.compute(RecentBars.endingAt(bars, current), raw, 0);
                spec.input().scaler().apply(raw, window, t * featureCount);
            }
            windows.add(window);
        }
        return windows;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }
}
