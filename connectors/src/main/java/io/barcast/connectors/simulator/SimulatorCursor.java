package io.barcast.connectors.simulator;

import io.barcast.connectors.source.BarCursor;
import io.barcast.core.IncomingBar;
import io.barcast.core.simulator.FeedGlitches;
import io.barcast.core.simulator.MarketSimulator;
import io.barcast.core.simulator.SymbolState;
import java.util.ArrayList;
import java.util.List;

/** Generates a split's symbols' bars in time order, up to an optional number of bars each. */
final class SimulatorCursor implements BarCursor<SimulatorSplit> {

    private final String splitId;
    private final MarketSimulator simulator;
    private final long barsPerSymbol;
    private final FeedGlitches glitches;
    private final List<SymbolState> states;

    SimulatorCursor(
            SimulatorSplit split,
            MarketSimulator simulator,
            long barsPerSymbol,
            FeedGlitches glitches) {
        this.splitId = split.splitId();
        this.simulator = simulator;
        this.barsPerSymbol = barsPerSymbol;
        this.glitches = glitches;
        this.states = new ArrayList<>(split.symbols());
    }

    private int earliest() {
        int best = -1;
        for (int i = 0; i < states.size(); i++) {
            SymbolState state = states.get(i);
            boolean open = barsPerSymbol <= 0 || state.barIndex() < barsPerSymbol;
            if (open && (best < 0 || state.nextBarTime() < states.get(best).nextBarTime())) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public boolean hasNext() {
        return earliest() >= 0;
    }

    @Override
    public long peekTime() {
        return states.get(earliest()).nextBarTime();
    }

    @Override
    public IncomingBar next() {
        int index = earliest();
        MarketSimulator.Step step = simulator.next(states.get(index));
        states.set(index, step.next());
        return IncomingBar.parsed("simulator", glitches.deliver(step.bar()));
    }

    @Override
    public SimulatorSplit snapshot() {
        return new SimulatorSplit(splitId, List.copyOf(states));
    }
}
