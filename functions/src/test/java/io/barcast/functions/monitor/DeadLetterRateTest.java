package io.barcast.functions.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Alert;
import io.barcast.core.DeadLetter;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterRateTest {

    private KeyedOneInputStreamOperatorTestHarness<String, DeadLetter, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DeadLetterRate(3)),
                        DeadLetter::stage,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void reject(String stage, int i) throws Exception {
        harness.processElement(DeadLetter.of("AAPL", stage, "bad " + i, i, "{}"), i);
    }

    @Test
    void alertsForAMinuteWithManyDeadLettersOfOneStageAndClearsItsCount() throws Exception {
        harness.setProcessingTime(10_000);
        for (int i = 0; i < 3; i++) {
            reject("sanitize", i);
        }
        reject("window", 9); // one of another stage: below the threshold
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

        harness.setProcessingTime(60_000);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.category()).isEqualTo(Alert.DEAD_LETTERS);
                            assertThat(a.message())
                                    .startsWith("3 dead letters from stage sanitize")
                                    .endsWith("the latest: bad 2");
                            assertThat(a.time()).isEqualTo(60_000);
                        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // the next minute counts afresh
        reject("sanitize", 10);
        harness.setProcessingTime(120_000);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }
}
