package io.barcast.functions.window;

import io.barcast.core.Bar;
import io.barcast.core.features.FeatureCalculator;
import io.barcast.core.features.RecentBars;
import io.barcast.core.model.ModelSpec;

/**
 * One symbol's recent past, as kept in keyed state: the last raw bars (enough to compute a whole
 * window of features again, so a model with other features can take over) and the last {@code
 * sequenceLength} feature vectors the model reads. Both are ring buffers of primitives, so the
 * state stays small and serializes as a Flink POJO.
 */
public class SymbolHistory implements RecentBars {

    /** Start time of the newest bar. */
    public long lastTime;

    /** The newest bar itself, to tell an exact duplicate from a revision. */
    public Bar lastBar;

    /** How many bars were added, capped once the windows are full. */
    public int barCount;

    /** How many feature vectors were computed, capped at the sequence length. */
    public int featureCount;

    public int barHead;
    public double[] open;
    public double[] high;
    public double[] low;
    public double[] close;
    public double[] volume;

    public int featureHead;

    /** Raw (unscaled) feature vectors, row-major {@code [sequenceLength x features]}. */
    public double[] features;

    /** The model input the feature vectors are for: {@link #layoutOf(ModelSpec)}. */
    public String layout;

    /** Forecasts asked for so far: the sequence number of the latest request. */
    public long requests;

    /** Wall-clock time the newest bar reached the window. */
    public long lastReceivedAt;

    /** Start of the bar the symbol was last repredicted at, or {@link Long#MIN_VALUE}. */
    public long repredictedAt = Long.MIN_VALUE;

    public SymbolHistory() {}

    /** An empty history for {@code spec}'s input. */
    public static SymbolHistory create(ModelSpec spec) {
        SymbolHistory history = new SymbolHistory();
        int rawBars = spec.barsNeeded();
        history.open = new double[rawBars];
        history.high = new double[rawBars];
        history.low = new double[rawBars];
        history.close = new double[rawBars];
        history.volume = new double[rawBars];
        history.features =
                new double[spec.input().sequenceLength() * spec.input().features().size()];
        history.layout = layoutOf(spec);
        return history;
    }

    /** What a feature window depends on: the features, their order and the window length. */
    public static String layoutOf(ModelSpec spec) {
        return spec.input().sequenceLength() + ":" + String.join(",", spec.input().features());
    }

    /**
     * This history for another model input: its raw bars replayed into a history for {@code spec}.
     * When fewer raw bars are kept than {@code spec} needs, the window fills again as bars come.
     */
    public SymbolHistory relayout(ModelSpec spec, FeatureCalculator calculator) {
        SymbolHistory rebuilt = create(spec);
        for (int back = barCount - 1; back >= 0; back--) {
            rebuilt.append(
                    Bar.of(
                            lastBar.symbol(),
                            lastTime,
                            open(back),
                            high(back),
                            low(back),
                            close(back),
                            volume(back)),
                    calculator);
        }
        rebuilt.lastTime = lastTime;
        rebuilt.lastBar = lastBar;
        rebuilt.requests = requests;
        rebuilt.lastReceivedAt = lastReceivedAt;
        rebuilt.repredictedAt = repredictedAt;
        return rebuilt;
    }

    /** Appends a bar and, once enough bars are there, its feature vector. */
    public void append(Bar bar, FeatureCalculator calculator) {
        barHead = (barHead + 1) % close.length;
        writeBar(bar);
        barCount = Math.min(barCount + 1, close.length);
        if (barCount >= calculator.lookback()) {
            int width = calculator.featureCount();
            featureHead = (featureHead + 1) % (features.length / width);
            calculator.compute(this, features, featureHead * width);
            featureCount = Math.min(featureCount + 1, features.length / width);
        }
    }

    /** Replaces the newest bar with a revision of it and recomputes its feature vector. */
    public void reviseLast(Bar bar, FeatureCalculator calculator) {
        writeBar(bar);
        if (barCount >= calculator.lookback()) {
            calculator.compute(this, features, featureHead * calculator.featureCount());
        }
    }

    /** Whether a full model input is there. */
    public boolean isFull(int sequenceLength) {
        return featureCount >= sequenceLength;
    }

    /** The scaled model input, oldest feature vector first. */
    public float[] scaledWindow(ModelSpec spec) {
        int width = spec.input().features().size();
        int rows = features.length / width;
        float[] window = new float[features.length];
        double[] row = new double[width];
        for (int i = 0; i < rows; i++) {
            int source = ((featureHead + 1 + i) % rows) * width;
            System.arraycopy(features, source, row, 0, width);
            spec.input().scaler().apply(row, window, i * width);
        }
        return window;
    }

    private void writeBar(Bar bar) {
        open[barHead] = bar.open();
        high[barHead] = bar.high();
        low[barHead] = bar.low();
        close[barHead] = bar.close();
        volume[barHead] = bar.volume();
        lastTime = bar.time();
        lastBar = bar;
    }

    private int index(int back) {
        if (back < 0 || back >= barCount) {
            throw new IndexOutOfBoundsException("bar " + back + " back of " + barCount);
        }
        return Math.floorMod(barHead - back, close.length);
    }

    @Override
    public int size() {
        return barCount;
    }

    @Override
    public double open(int back) {
        return open[index(back)];
    }

    @Override
    public double high(int back) {
        return high[index(back)];
    }

    @Override
    public double low(int back) {
        return low[index(back)];
    }

    @Override
    public double close(int back) {
        return close[index(back)];
    }

    @Override
    public double volume(int back) {
        return volume[index(back)];
    }
}
