package io.barcast.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.connectors.replay.ReplaySource;
import io.barcast.connectors.simulator.SimulatorSource;
import io.barcast.connectors.testing.BarFiles;
import io.barcast.connectors.testing.MiniClusters;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.simulator.MarketSimulator;
import io.barcast.core.testing.RealBars;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The replay and simulator sources on a MiniCluster at parallelism 2. */
class SourcesITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static List<IncomingBar> collect(Source<IncomingBar, ?, ?> source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<IncomingBar> out = new ArrayList<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "source")
                .executeAndCollect()
                .forEachRemaining(out::add);
        return out;
    }

    @Test
    void replaysRealBarsInOrderAndEnds(@TempDir Path dir) throws Exception {
        List<Bar> eth = RealBars.eth15m();
        BarFiles.csv(dir.resolve("eth.csv"), eth);

        List<IncomingBar> replayed = collect(ReplaySource.builder().path(dir).build());

        assertThat(replayed).extracting(IncomingBar::bar).containsExactlyElementsOf(eth);
    }

    @Test
    void simulatesEveryBarOfEverySymbolOnceAndEnds() throws Exception {
        List<String> symbols = MarketSimulator.symbols(6);
        SimulatorSource source =
                SimulatorSource.builder()
                        .symbols(symbols)
                        .seed(7)
                        .start(Instant.parse("2026-01-05T00:00:00Z"))
                        .barsPerSymbol(50)
                        .splits(3)
                        .build();

        List<IncomingBar> bars = collect(source);

        assertThat(bars).hasSize(6 * 50);
        for (String symbol : symbols) {
            List<Long> times =
                    bars.stream()
                            .map(IncomingBar::bar)
                            .filter(b -> b.symbol().equals(symbol))
                            .map(Bar::time)
                            .toList();
            assertThat(times)
                    .hasSize(50)
                    .isSortedAccordingTo(Comparator.naturalOrder())
                    .doesNotHaveDuplicates();
        }
        // deterministic by seed
        assertThat(collect(source))
                .extracting(IncomingBar::bar)
                .containsExactlyInAnyOrderElementsOf(bars.stream().map(IncomingBar::bar).toList());
    }
}
