package io.barcast.functions.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.DeadLetter;
import io.barcast.core.RepredictionRequest;
import io.barcast.functions.DeadLetters;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepredictionParserTest {

    private OneInputStreamOperatorTestHarness<String, WindowInput> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new RepredictionParser());
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<RepredictionRequest> requests() {
        return harness.extractOutputValues().stream().map(WindowInput::reprediction).toList();
    }

    private List<DeadLetter> deadLetters() {
        var out = harness.getSideOutput(DeadLetters.TAG);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aPersonsRequestNeedsOnlyTheSymbol() throws Exception {
        harness.processElement("{\"symbol\":\"AAPL\",\"detail\":\"earnings\"}", 0);
        harness.processElement("{\"symbol\":\"AAPL\"}", 0);
        assertThat(requests())
                .hasSize(2)
                .allSatisfy(
                        r -> {
                            assertThat(r.symbol()).isEqualTo("AAPL");
                            assertThat(r.cause()).isEqualTo(RepredictionRequest.MANUAL);
                        });
        assertThat(requests().get(0).detail()).isEqualTo("earnings");
        // two people asking are two requests
        assertThat(requests().get(0).id()).isNotEqualTo(requests().get(1).id());
    }

    @Test
    void barcastsOwnRequestReadsBackUnchanged() throws Exception {
        RepredictionRequest own =
                RepredictionRequest.of(
                        "X:BTCUSD", RepredictionRequest.VALIDATION_DRIFT, "off by 3%", 900_000, 5);
        harness.processElement(io.barcast.core.json.Json.newMapper().writeValueAsString(own), 0);
        assertThat(requests()).containsExactly(own);
    }

    @Test
    void aBrokenRequestIsADeadLetterWithItsReason() throws Exception {
        harness.processElement("not json", 0);
        harness.processElement("[1, 2]", 0);
        harness.processElement("{\"detail\":\"which one?\"}", 0);
        harness.processElement("{\"symbol\":\"AAPL\",\"cause\":\"because\"}", 0);
        assertThat(requests()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("not valid JSON"),
                        r -> assertThat(r).isEqualTo("not a JSON object"),
                        r -> assertThat(r).startsWith("no \"symbol\""),
                        r -> assertThat(r).startsWith("unknown cause 'because'"));
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.stage()).isEqualTo("reprediction"));
        assertThat(deadLetters().get(0).payload()).isEqualTo("not json");
    }
}
