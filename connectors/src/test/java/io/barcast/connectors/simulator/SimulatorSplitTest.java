package io.barcast.connectors.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.simulator.MarketSimulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorSplitTest {

    private final MarketSimulator simulator = new MarketSimulator(11);

    private SimulatorSplit freshSplit() {
        long start = java.time.Instant.parse("2026-01-09T20:00:00Z").toEpochMilli();
        return new SimulatorSplit(
                "simulator-0",
                MarketSimulator.symbols(4).stream().map(s -> simulator.start(s, start)).toList());
    }

    private static List<Bar> take(SimulatorCursor cursor, int count) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < count && cursor.hasNext(); i++) {
            bars.add(cursor.next().bar());
        }
        return bars;
    }

    @Test
    void aRestoredSplitContinuesWithExactlyTheBarsThatWouldHaveCome() throws Exception {
        List<Bar> uninterrupted = take(new SimulatorCursor(freshSplit(), simulator, 0), 400);

        SimulatorCursor first = new SimulatorCursor(freshSplit(), simulator, 0);
        List<Bar> resumed = new ArrayList<>(take(first, 150));
        SimulatorSplitSerializer serializer = new SimulatorSplitSerializer();
        SimulatorSplit restored =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(first.snapshot()));
        resumed.addAll(take(new SimulatorCursor(restored, simulator, 0), 250));

        assertThat(resumed).containsExactlyElementsOf(uninterrupted);
    }

    @Test
    void emitsBarsInEventTimeOrderAcrossItsSymbols() {
        List<Bar> bars = take(new SimulatorCursor(freshSplit(), simulator, 0), 300);
        for (int i = 1; i < bars.size(); i++) {
            assertThat(bars.get(i).time()).isGreaterThanOrEqualTo(bars.get(i - 1).time());
        }
    }

    @Test
    void stopsAfterTheBarsPerSymbol() {
        assertThat(take(new SimulatorCursor(freshSplit(), simulator, 25), 1000)).hasSize(100);
    }
}
