package io.barcast.functions.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.InferenceRequest;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.TestModels;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SymbolWindowFunctionTest {

    private static final long START = 1_700_000_100_000L / 900_000 * 900_000;
    private static final Duration TTL = Duration.ofHours(6);

    private final ModelSpec spec = TestModels.tinySpec();
    private KeyedOneInputStreamOperatorTestHarness<String, Bar, InferenceRequest> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SymbolWindowFunction(spec, TTL)),
                        Bar::symbol,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(Bar bar) throws Exception {
        harness.processElement(new StreamRecord<>(bar, bar.time()));
    }

    private List<InferenceRequest> requests() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(DeadLetters.TAG) == null
                ? List.of()
                : harness.getSideOutput(DeadLetters.TAG).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    @Test
    void asksForAForecastOnceTheWindowIsFullThenOnEveryBar() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 6);
        // lookback 2 (log_return needs the previous close) + window 3 - 1 = 4 bars to the first
        for (Bar bar : bars) {
            send(bar);
        }
        assertThat(requests()).hasSize(3);
        InferenceRequest first = requests().get(0);
        assertThat(first.asOf()).isEqualTo(bars.get(3).time());
        assertThat(first.reason()).isEqualTo(SymbolWindowFunction.REASON_NEW_BAR);
        assertThat(first.lastClose()).isEqualTo(bars.get(3).close());
        assertThat(first.window()).hasSize(3 * 2);
        // oldest first: row 0 is bar 1's features, the last row bar 3's
        double logReturn3 = Math.log(bars.get(3).close() / bars.get(2).close());
        assertThat((double) first.window()[4])
                .isCloseTo(logReturn3, org.assertj.core.data.Offset.offset(1e-6));
        double logReturn1 = Math.log(bars.get(1).close() / bars.get(0).close());
        assertThat((double) first.window()[0])
                .isCloseTo(logReturn1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(harness.getSideOutput(SymbolWindowFunction.ACCEPTED_BARS)).hasSize(6);
    }

    @Test
    void keepsSymbolsApart() throws Exception {
        for (Bar bar : TestModels.bars("X:ONE", START, 4)) {
            send(bar);
        }
        for (Bar bar : TestModels.bars("X:TWO", START, 3)) {
            send(bar);
        }
        assertThat(requests()).extracting(InferenceRequest::symbol).containsExactly("X:ONE");
    }

    @Test
    void rejectsExactDuplicatesAndLateBarsToDeadLetters() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 3);
        send(bars.get(0));
        send(bars.get(1));
        send(bars.get(2));
        send(bars.get(2));
        send(bars.get(0));

        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .anySatisfy(reason -> assertThat(reason).startsWith("duplicate"))
                .anySatisfy(reason -> assertThat(reason).startsWith("late"));
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.stage()).isEqualTo("window"));
        assertThat(harness.getSideOutput(SymbolWindowFunction.ACCEPTED_BARS)).hasSize(3);
    }

    @Test
    void aRevisionOfTheNewestBarReplacesItAndIsForecastAgain() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 4);
        for (Bar bar : bars) {
            send(bar);
        }
        Bar last = bars.get(3);
        Bar revised =
                new Bar(
                        last.symbol(),
                        last.time(),
                        last.open(),
                        last.high() + 1,
                        last.low(),
                        last.close() + 0.25,
                        last.volume() + 10,
                        null,
                        null);
        send(revised);

        assertThat(requests()).hasSize(2);
        InferenceRequest revision = requests().get(1);
        assertThat(revision.reason()).isEqualTo(SymbolWindowFunction.REASON_REVISION);
        assertThat(revision.asOf()).isEqualTo(last.time());
        assertThat(revision.lastClose()).isEqualTo(revised.close());
        assertThat(revision.window()[4]).isNotEqualTo(requests().get(0).window()[4]);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void clearsTheStateAndTimerOfASymbolSilentLongerThanTheTtl() throws Exception {
        List<Bar> bars = TestModels.bars("X:ABC", START, 5);
        for (Bar bar : bars) {
            send(bar);
        }
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(new Watermark(bars.get(4).time() + TTL.toMillis() - 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(new Watermark(bars.get(4).time() + TTL.toMillis()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // the symbol starts over: a full window is needed again before the next forecast
        int before = requests().size();
        for (Bar bar : TestModels.bars("X:ABC", bars.get(4).time() + TTL.toMillis() + 900_000, 3)) {
            send(bar);
        }
        assertThat(requests()).hasSize(before);
    }

    @Test
    void keepsOnlyOneTimerPerSymbol() throws Exception {
        for (Bar bar : TestModels.bars("X:ABC", START, 10)) {
            send(bar);
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }
}
