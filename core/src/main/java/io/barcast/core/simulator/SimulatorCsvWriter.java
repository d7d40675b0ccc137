package io.barcast.core.simulator;

import io.barcast.core.Bar;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Writes simulated bars as CSV for training: a header {@code symbol,t,o,h,l,c,v}, then one bar a
 * line in time order across symbols (symbols in the given order within one bar time), {@code t} the
 * bar start in epoch milliseconds.
 */
public final class SimulatorCsvWriter {

    public static final String HEADER = "symbol,t,o,h,l,c,v";

    private SimulatorCsvWriter() {}

    /**
     * Writes every bar of {@code symbols} starting in {@code [startMs, endMs)}.
     *
     * @return the number of bars written
     */
    public static long write(Writer out, long seed, List<String> symbols, long startMs, long endMs)
            throws IOException {
        MarketSimulator simulator = new MarketSimulator(seed);
        PriorityQueue<Pending> queue =
                new PriorityQueue<>(
                        Comparator.comparingLong((Pending p) -> p.state.nextBarTime())
                                .thenComparingInt(p -> p.order));
        for (int i = 0; i < symbols.size(); i++) {
            queue.add(new Pending(simulator.start(symbols.get(i), startMs), i));
        }
        out.write(HEADER);
        out.write('\n');
        long written = 0;
        StringBuilder line = new StringBuilder(96);
        while (!queue.isEmpty() && queue.peek().state.nextBarTime() < endMs) {
            Pending pending = queue.poll();
            MarketSimulator.Step step = simulator.next(pending.state);
            Bar bar = step.bar();
            line.setLength(0);
            line.append(bar.symbol()).append(',').append(bar.time());
            for (double value :
                    new double[] {bar.open(), bar.high(), bar.low(), bar.close(), bar.volume()}) {
                line.append(',').append(plain(value));
            }
            out.write(line.append('\n').toString());
            written++;
            queue.add(new Pending(step.next(), pending.order));
        }
        out.flush();
        return written;
    }

    /** The shortest decimal that reads back as the same double, never in E notation. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private record Pending(SymbolState state, int order) {}
}
