package io.barcast.core.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorCsvWriterTest {

    private static final long START = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    private static final long END = Instant.parse("2024-03-05T00:00:00Z").toEpochMilli();

    @Test
    void writesEveryBarInTimeOrderAcrossSymbols() throws IOException {
        List<String> symbols = MarketSimulator.symbols(4);
        StringWriter out = new StringWriter();

        long written = SimulatorCsvWriter.write(out, 42, symbols, START, END);

        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).isEqualTo("symbol,t,o,h,l,c,v");
        assertThat(lines).hasSize((int) written + 1);
        // Three stocks trade Friday and Monday (26 bars each), the crypto pair all four days.
        assertThat(written).isEqualTo(3 * 2 * 26 + 4 * 96);
        long previous = Long.MIN_VALUE;
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(",");
            assertThat(fields).hasSize(7);
            long time = Long.parseLong(fields[1]);
            assertThat(time)
                    .isGreaterThanOrEqualTo(previous)
                    .isGreaterThanOrEqualTo(START)
                    .isLessThan(END);
            assertThat(lines[i]).doesNotContain("E");
            previous = time;
        }
    }

    @Test
    void writesTheSimulatorsBars() throws IOException {
        StringWriter out = new StringWriter();
        SimulatorCsvWriter.write(out, 42, List.of("SIMA", "X:C01USD"), START, END);

        MarketSimulator simulator = new MarketSimulator(42);
        List<Bar> expected = new ArrayList<>();
        SymbolState state = simulator.start("SIMA", START);
        while (state.nextBarTime() < END) {
            MarketSimulator.Step step = simulator.next(state);
            expected.add(step.bar());
            state = step.next();
        }
        List<String> written =
                out.toString().lines().filter(line -> line.startsWith("SIMA,")).toList();

        assertThat(written).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] fields = written.get(i).split(",");
            Bar bar = expected.get(i);
            assertThat(Long.parseLong(fields[1])).isEqualTo(bar.time());
            assertThat(Double.parseDouble(fields[2])).isEqualTo(bar.open());
            assertThat(Double.parseDouble(fields[3])).isEqualTo(bar.high());
            assertThat(Double.parseDouble(fields[4])).isEqualTo(bar.low());
            assertThat(Double.parseDouble(fields[5])).isEqualTo(bar.close());
            assertThat(Double.parseDouble(fields[6])).isEqualTo(bar.volume());
        }
    }
}
