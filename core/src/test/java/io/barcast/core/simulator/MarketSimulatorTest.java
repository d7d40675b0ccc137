package io.barcast.core.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.calendar.MarketCalendar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketSimulatorTest {

    private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** A Friday, 2024-03-01 00:00 UTC. */
    private static final long START = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();

    @Test
    void namesSymbolsDistinctlyWithEveryFourthACryptoPair() {
        List<String> symbols = MarketSimulator.symbols(40);

        assertThat(symbols).hasSize(40).doesNotHaveDuplicates();
        assertThat(symbols.subList(0, 8))
                .containsExactly(
                        "SIMA", "SIMB", "SIMC", "X:C01USD", "SIMD", "SIME", "SIMF", "X:C02USD");
        for (int i = 0; i < symbols.size(); i++) {
            assertThat(symbols.get(i).startsWith("X:")).isEqualTo(i % 4 == 3);
        }
        assertThat(MarketSimulator.symbols(200)).doesNotHaveDuplicates().contains("SIMAA");
        assertThat(MarketSimulator.symbols(40)).isEqualTo(symbols);
    }

    @Test
    void isDeterministicForASeed() {
        List<Bar> first = simulate(new MarketSimulator(7), "SIMA", 400);
        List<Bar> again = simulate(new MarketSimulator(7), "SIMA", 400);
        List<Bar> otherSeed = simulate(new MarketSimulator(8), "SIMA", 400);
        List<Bar> otherSymbol = simulate(new MarketSimulator(7), "SIMB", 400);

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed.get(0).open()).isNotEqualTo(first.get(0).open());
        assertThat(closes(otherSymbol)).isNotEqualTo(closes(first));
    }

    @Test
    void startingPriceDependsOnSeedAndSymbolOnly() {
        MarketSimulator simulator = new MarketSimulator(11);

        assertThat(simulator.start("X:C01USD", START).lastClose())
                .isEqualTo(simulator.start("X:C01USD", START + 86_400_000L * 40).lastClose());
        assertThat(simulator.start("X:C01USD", START).lastClose())
                .isNotEqualTo(simulator.start("X:C02USD", START).lastClose());
    }

    @Test
    void continuesIdenticallyFromAStateWrittenAndReadBack() throws IOException {
        MarketSimulator simulator = new MarketSimulator(21);
        SymbolState state = simulator.start("X:C03USD", START);
        for (int i = 0; i < 150; i++) {
            state = simulator.next(state).next();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.writeTo(new DataOutputStream(bytes));
        SymbolState restored =
                SymbolState.readFrom(
                        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(restored).isEqualTo(state);
        MarketSimulator another = new MarketSimulator(21);
        SymbolState original = state;
        for (int i = 0; i < 200; i++) {
            MarketSimulator.Step expected = simulator.next(original);
            MarketSimulator.Step actual = another.next(restored);
            assertThat(actual).isEqualTo(expected);
            original = expected.next();
            restored = actual.next();
        }
    }

    @Test
    void producesValidBarsOnTheSymbolsCalendar() {
        MarketSimulator simulator = new MarketSimulator(3);
        for (String symbol : List.of("SIMA", "SIMB", "X:C01USD", "X:C02USD")) {
            MarketCalendar calendar = MarketCalendar.forSymbol(symbol);
            List<Bar> bars = simulate(simulator, symbol, 2_000);
            long previous = Long.MIN_VALUE;
            for (Bar bar : bars) {
                assertThat(bar.symbol()).isEqualTo(symbol);
                assertThat(calendar.isBarStart(bar.time(), FIFTEEN_MINUTES))
                        .as("%s at %s is a bar start", symbol, Instant.ofEpochMilli(bar.time()))
                        .isTrue();
                assertThat(bar.time()).isGreaterThan(previous);
                assertThat(bar.high()).isGreaterThanOrEqualTo(Math.max(bar.open(), bar.close()));
                assertThat(bar.low()).isLessThanOrEqualTo(Math.min(bar.open(), bar.close()));
                assertThat(bar.low()).isPositive();
                assertThat(bar.volume()).isPositive();
                assertThat(bar.vwap()).isBetween(bar.low(), bar.high());
                assertThat(bar.trades()).isPositive();
                previous = bar.time();
            }
        }
    }

    @Test
    void cryptoTradesAroundTheClockIncludingWeekends() {
        List<Bar> bars = simulate(new MarketSimulator(5), "X:C01USD", 96 * 7);

        assertThat(bars.get(0).time()).isEqualTo(START);
        assertThat(bars.get(bars.size() - 1).time() - START)
                .isEqualTo((96 * 7 - 1) * FIFTEEN_MINUTES.toMillis());
        assertThat(bars).filteredOn(bar -> isWeekend(utc(bar).getDayOfWeek())).hasSize(96 * 2);
    }

    @Test
    void stocksTradeOnlyInTheRegularSessionOnWeekdays() {
        List<Bar> bars = simulate(new MarketSimulator(5), "SIMA", 26 * 10);

        assertThat(bars)
                .allSatisfy(
                        bar -> {
                            ZonedDateTime local = Instant.ofEpochMilli(bar.time()).atZone(NEW_YORK);
                            assertThat(isWeekend(local.getDayOfWeek())).isFalse();
                            assertThat(local.toLocalTime())
                                    .isBetween(LocalTime.of(9, 30), LocalTime.of(15, 45));
                        });
        assertThat(Instant.ofEpochMilli(bars.get(0).time()))
                .isEqualTo(Instant.parse("2024-03-01T14:30:00Z"));
        assertThat(bars.get(26).time())
                .isEqualTo(Instant.parse("2024-03-04T14:30:00Z").toEpochMilli());
    }

    @Test
    void stocksGapAtTheOpenAndTradeMostAtTheOpenAndClose() {
        List<Bar> bars = simulate(new MarketSimulator(9), "SIMC", 26 * 60);
        int gaps = 0;
        double[] volumeBySlot = new double[26];
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int slot = i % 26;
            volumeBySlot[slot] += bar.volume();
            if (i == 0) {
                continue;
            }
            double previousClose = bars.get(i - 1).close();
            if (slot == 0) {
                gaps += bar.open() != previousClose ? 1 : 0;
            } else {
                assertThat(bar.open()).isEqualTo(previousClose);
            }
        }

        assertThat(gaps).isGreaterThan(50);
        double midday = volumeBySlot[12];
        assertThat(volumeBySlot[0]).isGreaterThan(2 * midday);
        assertThat(volumeBySlot[25]).isGreaterThan(1.5 * midday);
    }

    @Test
    void volatilityClustersAndSwitchesRegime() {
        MarketSimulator simulator = new MarketSimulator(13);
        SymbolState state = simulator.start("X:C02USD", START);
        boolean[] regimes = new boolean[3];
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (int i = 0; i < 96 * 120; i++) {
            state = simulator.next(state).next();
            regimes[state.regime()] = true;
            lowest = Math.min(lowest, state.volatility());
            highest = Math.max(highest, state.volatility());
        }

        assertThat(regimes).containsOnly(true);
        assertThat(highest / lowest).isGreaterThan(1.5);
    }

    private static List<Bar> simulate(MarketSimulator simulator, String symbol, int count) {
        List<Bar> bars = new ArrayList<>(count);
        SymbolState state = simulator.start(symbol, START);
        for (int i = 0; i < count; i++) {
            MarketSimulator.Step step = simulator.next(state);
            bars.add(step.bar());
            state = step.next();
        }
        return bars;
    }

    private static List<Double> closes(List<Bar> bars) {
        return bars.stream().map(Bar::close).toList();
    }

    private static ZonedDateTime utc(Bar bar) {
        return Instant.ofEpochMilli(bar.time()).atZone(ZoneOffset.UTC);
    }

    private static boolean isWeekend(DayOfWeek day) {
        return day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    }
}
