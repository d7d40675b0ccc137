package io.barcast.functions.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.TestModels;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class BarSanitizerTest {

    private static final long T = 1_700_000_100_000L / 900_000 * 900_000;

    private static List<DeadLetter> run(List<IncomingBar> input, List<Bar> passed)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<IncomingBar, Bar> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new BarSanitizer(TestModels.INTERVAL))) {
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
                    .filteredOn(
                            d ->
                                    d.stage().equals("sanitize")
                                            && d.eventTime() == entry.getKey().time())
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
        BarEventTime eventTime = new BarEventTime(TestModels.INTERVAL);
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
}
