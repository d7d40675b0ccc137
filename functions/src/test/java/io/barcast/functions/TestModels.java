package io.barcast.functions;

import io.barcast.core.Bar;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Models and bars the function tests share. */
public final class TestModels {

    public static final Duration INTERVAL = Duration.ofMinutes(15);

    private TestModels() {}

    /** The real default model of the repository. */
    public static ModelBundle defaultModel() throws Exception {
        return ModelBundle.load(Path.of("..", "models", "default"));
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
