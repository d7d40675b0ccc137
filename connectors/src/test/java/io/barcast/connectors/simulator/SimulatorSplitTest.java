package io.barcast.connectors.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.simulator.FeedGlitches;
import io.barcast.core.simulator.MarketSimulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorSplitTest {

    private static final FeedGlitches NO_GLITCHES = new FeedGlitches(11, 0);

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
        List<Bar> uninterrupted =
                take(new SimulatorCursor(freshSplit(), simulator, 0, NO_GLITCHES), 400);

        SimulatorCursor first = new SimulatorCursor(freshSplit(), simulator, 0, NO_GLITCHES);
        List<Bar> resumed = new ArrayList<>(take(first, 150));
        SimulatorSplitSerializer serializer = new SimulatorSplitSerializer();
        SimulatorSplit restored =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(first.snapshot()));
        resumed.addAll(take(new SimulatorCursor(restored, simulator, 0, NO_GLITCHES), 250));

        assertThat(resumed).containsExactlyElementsOf(uninterrupted);
    }

    @Test
    void emitsBarsInEventTimeOrderAcrossItsSymbols() {
        List<Bar> bars = take(new SimulatorCursor(freshSplit(), simulator, 0, NO_GLITCHES), 300);
        for (int i = 1; i < bars.size(); i++) {
            assertThat(bars.get(i).time()).isGreaterThanOrEqualTo(bars.get(i - 1).time());
        }
    }

    @Test
    void deliversTheSameBrokenBarsForTheSameSeed() {
        FeedGlitches glitches = new FeedGlitches(11, 0.05);
        List<Bar> clean = take(new SimulatorCursor(freshSplit(), simulator, 0, NO_GLITCHES), 2000);
        List<Bar> first = take(new SimulatorCursor(freshSplit(), simulator, 0, glitches), 2000);
        List<Bar> second = take(new SimulatorCursor(freshSplit(), simulator, 0, glitches), 2000);

        assertThat(first).isEqualTo(second);
        long broken =
                java.util.stream.IntStream.range(0, clean.size())
                        .filter(i -> !clean.get(i).equals(first.get(i)))
                        .count();
        assertThat(broken).isBetween(50L, 150L);
    }

    @Test
    void stopsAfterTheBarsPerSymbol() {
        assertThat(take(new SimulatorCursor(freshSplit(), simulator, 25, NO_GLITCHES), 1000))
                .hasSize(100);
    }
}
