package io.barcast.functions.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Alert;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertGateTest {

    private static final long MINUTE = 60_000;

    private KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AlertGate(Duration.ofHours(1))),
                        AlertGate::keyOf,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void raise(String category, String symbol, long time) throws Exception {
        harness.processElement(
                Alert.of(
                        Alert.WARNING,
                        category,
                        symbol,
                        category + " at " + time,
                        Long.toString(time),
                        time),
                time);
    }

    private List<Alert> out() {
        return harness.extractOutputValues();
    }

    @Test
    void letsOneAlertThroughPerCategoryAndSymbolAnHourAndCountsTheOthers() throws Exception {
        raise(Alert.DATA_GAP, "AAPL", 0);
        raise(Alert.DATA_GAP, "AAPL", 15 * MINUTE);
        raise(Alert.DATA_GAP, "AAPL", 45 * MINUTE);
        raise(Alert.DATA_GAP, "MSFT", 50 * MINUTE); // another symbol
        raise(Alert.LOW_CONFIDENCE, "AAPL", 55 * MINUTE); // another category
        raise(Alert.DATA_GAP, "AAPL", 60 * MINUTE);

        assertThat(out())
                .extracting(Alert::category, Alert::symbol, Alert::time)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Alert.DATA_GAP, "AAPL", 0L),
                        org.assertj.core.groups.Tuple.tuple(Alert.DATA_GAP, "MSFT", 50 * MINUTE),
                        org.assertj.core.groups.Tuple.tuple(
                                Alert.LOW_CONFIDENCE, "AAPL", 55 * MINUTE),
                        org.assertj.core.groups.Tuple.tuple(Alert.DATA_GAP, "AAPL", 60 * MINUTE));
        assertThat(out().get(0).message()).isEqualTo(Alert.DATA_GAP + " at 0");
        assertThat(out().get(3).message())
                .endsWith("(2 more like it held back since the last alert)");
    }

    @Test
    void theSameAlertRaisedAgainIsDroppedEvenAfterTheInterval() throws Exception {
        raise(Alert.INFERENCE, "AAPL", 0);
        harness.processElement(out().get(0), 2 * 60 * MINUTE);
        raise(Alert.INFERENCE, "AAPL", 0);
        assertThat(out()).hasSize(1);
    }

    @Test
    void aQuietKeysStateExpiresAfterADay() throws Exception {
        harness.setStateTtlProcessingTime(0);
        raise(Alert.DATA_GAP, "AAPL", 0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.setStateTtlProcessingTime(Duration.ofDays(1).toMillis() + 1);
        harness.getOperator().getKeyedStateBackend().setCurrentKey(Alert.DATA_GAP + "|AAPL");
        assertThat(
                        harness.getOperator()
                                .getKeyedStateBackend()
                                .getPartitionedState(
                                        org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                                        org.apache.flink.runtime.state.VoidNamespaceSerializer
                                                .INSTANCE,
                                        AlertGate.gateDescriptor(Duration.ofDays(1)))
                                .value())
                .isNull();
        // and the next alert of the key goes through as the first
        raise(Alert.DATA_GAP, "AAPL", 10 * MINUTE);
        assertThat(out()).hasSize(2);
        assertThat(out().get(1).message()).isEqualTo(Alert.DATA_GAP + " at " + 10 * MINUTE);
    }
}
