package io.barcast.connectors.simulator;

import io.barcast.connectors.source.PacedBarReader;
import io.barcast.connectors.source.SplitListSerializer;
import io.barcast.connectors.source.StaticSplitEnumerator;
import io.barcast.core.IncomingBar;
import io.barcast.core.simulator.FeedGlitches;
import io.barcast.core.simulator.MarketSimulator;
import io.barcast.core.simulator.SymbolState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A market simulator as a Flink source: deterministic bars for a set of symbols, by seed, from a
 * start time, stocks in market hours and {@code X:} crypto pairs around the clock. Its splits are
 * groups of symbols whose generator state is checkpointed, so a restore continues the same market.
 * Build one with {@link #builder()}.
 */
public final class SimulatorSource
        implements Source<IncomingBar, SimulatorSplit, List<SimulatorSplit>> {

    private final List<String> symbols;
    private final long seed;
    private final long startTime;
    private final double speed;
    private final long barsPerSymbol;
    private final int splits;
    private final double glitchRate;

    private SimulatorSource(Builder builder) {
        this.symbols = List.copyOf(builder.symbols);
        this.seed = builder.seed;
        this.startTime = builder.start.toEpochMilli();
        this.speed = builder.speed;
        this.barsPerSymbol = builder.barsPerSymbol;
        this.splits = Math.min(builder.splits, symbols.size());
        this.glitchRate = builder.glitchRate;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Boundedness getBoundedness() {
        return barsPerSymbol > 0 ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<SimulatorSplit, List<SimulatorSplit>> createEnumerator(
            SplitEnumeratorContext<SimulatorSplit> context) {
        MarketSimulator simulator = new MarketSimulator(seed);
        List<List<SymbolState>> groups = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < symbols.size(); i++) {
            groups.get(i % splits).add(simulator.start(symbols.get(i), startTime));
        }
        List<SimulatorSplit> all = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            all.add(new SimulatorSplit("simulator-" + i, groups.get(i)));
        }
        return new StaticSplitEnumerator<>(context, all);
    }

    @Override
    public SplitEnumerator<SimulatorSplit, List<SimulatorSplit>> restoreEnumerator(
            SplitEnumeratorContext<SimulatorSplit> context, List<SimulatorSplit> checkpoint) {
        return new StaticSplitEnumerator<>(context, checkpoint);
    }

    @Override
    public SourceReader<IncomingBar, SimulatorSplit> createReader(SourceReaderContext context) {
        MarketSimulator simulator = new MarketSimulator(seed);
        return new PacedBarReader<>(
                split ->
                        new SimulatorCursor(
                                split,
                                simulator,
                                barsPerSymbol,
                                new FeedGlitches(seed, glitchRate)),
                speed,
                barsPerSymbol > 0);
    }

    @Override
    public SimpleVersionedSerializer<SimulatorSplit> getSplitSerializer() {
        return new SimulatorSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<SimulatorSplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(new SimulatorSplitSerializer());
    }

    /** Builds a {@link SimulatorSource}; {@link #build()} checks the settings. */
    public static final class Builder {
        private List<String> symbols;
        private long seed = 42;
        private Instant start;
        private double speed;
        private long barsPerSymbol;
        private int splits = 8;
        private double glitchRate;

        public Builder symbols(List<String> symbols) {
            this.symbols = symbols;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** Market time per wall-clock time; 0 for as fast as possible. */
        public Builder speed(double speed) {
            this.speed = speed;
            return this;
        }

        /** Bars to generate per symbol before the source ends; 0 for an endless market. */
        public Builder barsPerSymbol(long barsPerSymbol) {
            this.barsPerSymbol = barsPerSymbol;
            return this;
        }

        /** Share of bars delivered broken, for the dead letters to catch; 0 by default. */
        public Builder glitchRate(double glitchRate) {
            this.glitchRate = glitchRate;
            return this;
        }

        public Builder splits(int splits) {
            this.splits = splits;
            return this;
        }

        public SimulatorSource build() {
            sanityCheck();
            return new SimulatorSource(this);
        }

        private void sanityCheck() {
            if (symbols == null || symbols.isEmpty()) {
                throw new IllegalArgumentException("simulator: at least one symbol is needed");
            }
            if (start == null) {
                throw new IllegalArgumentException("simulator: a start time is needed");
            }
            if (speed < 0 || Double.isNaN(speed)) {
                throw new IllegalArgumentException("simulator: speed must be >= 0, got " + speed);
            }
            if (barsPerSymbol < 0) {
                throw new IllegalArgumentException(
                        "simulator: bars per symbol must be >= 0, got " + barsPerSymbol);
            }
            if (glitchRate < 0 || glitchRate > 1 || Double.isNaN(glitchRate)) {
                throw new IllegalArgumentException(
                        "simulator: glitch rate must be in [0, 1], got " + glitchRate);
            }
            if (splits < 1) {
                throw new IllegalArgumentException("simulator: splits must be >= 1");
            }
        }
    }
}
