package io.barcast.functions.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.TestModels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class BarSanitizerTest {

    private static final long T = 1_700_000_100_000L / 900_000 * 900_000;

    /** The wall clock of these tests: a day after T. */
    private static final Clock CLOCK =
            Clock.fixed(Instant.ofEpochMilli(T + 86_400_000L), ZoneOffset.UTC);

    private static final BarChecks CHECKS =
            BarChecks.againstClock(TestModels.INTERVAL, Duration.ofHours(1), CLOCK);

    private static List<DeadLetter> run(List<IncomingBar> input, List<Bar> passed)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<IncomingBar, Bar> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new BarSanitizer(CHECKS))) {
            for (IncomingBar bar : input) {
                harness.processElement(bar, 0);
            }
            passed.addAll(harness.extractOutputValues());
            var side = harness.getSideOutput(DeadLetters.TAG);
            return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
        }
    }

    @Test
    void passesValidBars() throws Exception {
        List<Bar> passed = new java.util.ArrayList<>();
        List<Bar> bars = TestModels.bars("AAPL", T, 3);
        List<DeadLetter> dead =
                run(bars.stream().map(b -> IncomingBar.parsed("test", b)).toList(), passed);
        assertThat(passed).containsExactlyElementsOf(bars);
        assertThat(dead).isEmpty();
    }

    @Test
    void sendsEveryKindOfBadBarToDeadLettersWithItsReason() throws Exception {
        Map<Bar, String> bad =
                Map.of(
                        Bar.of("AAPL", T, Double.NaN, 11, 9, 10, 100), "open price is not finite",
                        Bar.of("AAPL", T, 10, 11, 9, 0, 100), "close price is not positive",
                        Bar.of("AAPL", T, 10, 10.5, 9, 11, 100),
                                "high 10.5 is below max(open, close)",
                        Bar.of("AAPL", T, 10, 11, 10.5, 10.8, 100),
                                "low 10.5 is above min(open, close)",
                        Bar.of("AAPL", T, 10, 11, 9, 10, -1), "volume is negative",
                        Bar.of("AAPL", T + 60_000, 10, 11, 9, 10, 100),
                                "is not on the 15-minute bar grid",
                        Bar.of(" ", T, 10, 11, 9, 10, 100), "no symbol",
                        Bar.of("AAPL", T, Double.POSITIVE_INFINITY, 11, 9, 10, 100),
                                "open price is not finite",
                        Bar.of("AAPL", T * 1_000_000, 10, 11, 9, 10, 100),
                                "is not a bar start in epoch milliseconds");
        List<IncomingBar> input = new java.util.ArrayList<>();
        bad.keySet().forEach(bar -> input.add(IncomingBar.parsed("test", bar)));
        input.add(IncomingBar.unparsable("replay:x.csv:3", "AAPL,abc", "o is not a number: 'abc'"));

        List<Bar> passed = new java.util.ArrayList<>();
        List<DeadLetter> dead = run(input, passed);

        assertThat(passed).isEmpty();
        assertThat(dead).hasSize(bad.size() + 1);
        for (Map.Entry<Bar, String> entry : bad.entrySet()) {
            assertThat(dead)
                    .filteredOn(d -> d.stage().equals("sanitize"))
                    .extracting(DeadLetter::reason)
                    .anySatisfy(reason -> assertThat(reason).contains(entry.getValue()));
        }
        DeadLetter unparsable =
                dead.stream().filter(d -> d.stage().equals("parse")).findFirst().orElseThrow();
        assertThat(unparsable.reason()).contains("o is not a number").contains("replay:x.csv:3");
        assertThat(unparsable.payload()).isEqualTo("AAPL,abc");
    }

    @Test
    void onlyBarsItLetsThroughMoveEventTime() {
        BarEventTime eventTime = new BarEventTime(CHECKS);
        Bar good = Bar.of("AAPL", T, 10, 11, 9, 10, 100);
        assertThat(eventTime.extractTimestamp(IncomingBar.parsed("t", good), 0))
                .isEqualTo(T + 900_000);
        for (Bar bad :
                List.of(
                        Bar.of("AAPL", T * 1_000_000, 10, 11, 9, 10, 100),
                        Bar.of("AAPL", T, 10, 9, 8, 10, 100))) {
            assertThat(eventTime.extractTimestamp(IncomingBar.parsed("t", bad), 0))
                    .isEqualTo(Long.MIN_VALUE);
        }
        assertThat(eventTime.extractTimestamp(IncomingBar.unparsable("t", "x", "junk"), 0))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theSameRejectedInputAlwaysGetsTheSameDeadLetterId() throws Exception {
        Bar bad = Bar.of("AAPL", T, 10, 11, 9, 0, 100);
        List<DeadLetter> first =
                run(List.of(IncomingBar.parsed("a", bad)), new java.util.ArrayList<>());
        List<DeadLetter> second =
                run(List.of(IncomingBar.parsed("a", bad)), new java.util.ArrayList<>());
        assertThat(first.get(0).id()).isEqualTo(second.get(0).id());
    }

    @Test
    void holdsSymbolsToTheGrammarAndSpellsThemInUpperCase() throws Exception {
        String nul = "AB\u0000C";
        String huge = "Z".repeat(40_000);
        List<IncomingBar> input =
                List.of(
                        IncomingBar.parsed("k:1", Bar.of("x:ethusd", T, 10, 11, 9, 10, 100)),
                        IncomingBar.parsed("k:2", Bar.of(nul, T, 10, 11, 9, 10, 100)),
                        IncomingBar.parsed("k:3", Bar.of(huge, T, 10, 11, 9, 10, 100)));
        List<Bar> passed = new java.util.ArrayList<>();

        List<DeadLetter> dead = run(input, passed);

        assertThat(passed).extracting(Bar::symbol).containsExactly("X:ETHUSD");
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).reason())
                .contains("symbol 'AB\uFFFDC' is not 1 to 32 characters")
                .contains("(k:2)");
        assertThat(dead.get(0).symbol()).isEqualTo("AB\uFFFDC");
        assertThat(dead.get(1).symbol()).hasSizeLessThanOrEqualTo(40);
        assertThat(dead.get(1).payload()).hasSizeLessThanOrEqualTo(DeadLetter.MAX_PAYLOAD_CHARS);
        for (DeadLetter letter : dead) {
            assertThat(letter.reason() + letter.payload() + letter.symbol())
                    .doesNotContain("\u0000");
        }
    }

    @Test
    void aBarFromTheFutureIsADeadLetterAndLeavesEventTimeAlone() throws Exception {
        long year2099 = Instant.parse("2099-01-01T00:00:00Z").toEpochMilli();
        long withinTheHour = CLOCK.millis() + 30 * 60_000L - 15 * 60_000L; // ends in 30 min
        Bar future = Bar.of("AAPL", year2099, 10, 11, 9, 10, 100);
        Bar soon = Bar.of("AAPL", withinTheHour / 900_000 * 900_000, 10, 11, 9, 10, 100);
        List<Bar> passed = new java.util.ArrayList<>();

        List<DeadLetter> dead =
                run(
                        List.of(
                                IncomingBar.parsed("kafka:bars/0@7", future),
                                IncomingBar.parsed("k", soon)),
                        passed);

        assertThat(passed).containsExactly(soon);
        assertThat(dead)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.reason())
                                    .contains("2099-01-01T00:00:00Z")
                                    .contains("after the clock")
                                    .contains("time.max-ahead")
                                    .contains("kafka:bars/0@7");
                            assertThat(d.eventTime()).isEqualTo(year2099);
                        });
        assertThat(new BarEventTime(CHECKS).extractTimestamp(IncomingBar.parsed("k", future), 0))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theSimulatorsOwnClockIsNotHeldToTheWallClock() {
        Bar ahead = Bar.of("SIM", T + 400L * 86_400_000L, 10, 11, 9, 10, 100);

        assertThat(BarChecks.withoutClock(TestModels.INTERVAL).problemOf(ahead)).isNull();
        assertThat(CHECKS.problemOf(ahead)).contains("after the clock");
    }
}
