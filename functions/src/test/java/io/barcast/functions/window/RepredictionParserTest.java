package io.barcast.functions.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.DeadLetter;
import io.barcast.core.ForecastReason;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.TopicMessage;
import io.barcast.functions.DeadLetters;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepredictionParserTest {

    private OneInputStreamOperatorTestHarness<TopicMessage, WindowInput> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new RepredictionParser());
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private int offset;

    private void send(String text) throws Exception {
        harness.processElement(TopicMessage.text("kafka:r/0@" + offset++, text), 0);
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
        send("{\"symbol\":\"AAPL\",\"detail\":\"earnings\"}");
        send("{\"symbol\":\"AAPL\"}");
        assertThat(requests())
                .hasSize(2)
                .allSatisfy(
                        r -> {
                            assertThat(r.symbol()).isEqualTo("AAPL");
                            assertThat(r.cause()).isEqualTo(ForecastReason.MANUAL.label());
                        });
        assertThat(requests().get(0).detail()).isEqualTo("earnings");
        // two people asking are two requests
        assertThat(requests().get(0).id()).isNotEqualTo(requests().get(1).id());
    }

    @Test
    void barcastsOwnRequestReadsBackUnchanged() throws Exception {
        RepredictionRequest own =
                RepredictionRequest.of(
                        "X:BTCUSD", ForecastReason.VALIDATION_DRIFT, "off by 3%", 900_000, 5);
        send(io.barcast.core.json.Json.newMapper().writeValueAsString(own));
        assertThat(requests()).containsExactly(own);
    }

    @Test
    void aBrokenRequestIsADeadLetterWithItsReason() throws Exception {
        send("not json");
        send("[1, 2]");
        send("{\"detail\":\"which one?\"}");
        send("{\"symbol\":\"AAPL\",\"cause\":\"because\"}");
        assertThat(requests()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("not valid JSON"),
                        r -> assertThat(r).isEqualTo("not a JSON object (kafka:r/0@1)"),
                        r -> assertThat(r).startsWith("no \"symbol\""),
                        r -> assertThat(r).startsWith("unknown cause 'because'"));
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.stage()).isEqualTo("reprediction"));
        assertThat(deadLetters().get(0).payload()).isEqualTo("not json");
    }

    @Test
    void tombstonesAndUnreadableMessagesAreDeadLettersWithTheirOrigin() throws Exception {
        harness.processElement(
                TopicMessage.unreadable(
                        "kafka:r/1@9",
                        "",
                        "a tombstone (a record without a value) is not a message"),
                0);
        harness.processElement(
                TopicMessage.unreadable("kafka:r/1@10", "\uFFFD", "not valid UTF-8 at byte 0 of 1"),
                0);

        assertThat(requests()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .containsExactly(
                        "a tombstone (a record without a value) is not a message (kafka:r/1@9)",
                        "not valid UTF-8 at byte 0 of 1 (kafka:r/1@10)");
    }

    @Test
    void fieldsThatNoSinkCouldStoreAreRefusedOrMadeSafe() throws Exception {
        send("{\"symbol\":\"AB\\u0000C\"}");
        send("{\"symbol\":\"" + "Z".repeat(40_000) + "\"}");
        send("{\"symbol\":\"AAPL\",\"id\":\"not-a-uuid\"}");
        send("{\"symbol\":\"AAPL\",\"barTime\":99999999999999999}");
        send("{\"symbol\":\"AAPL\",\"requestedAt\":\"yesterday\"}");
        send("{\"symbol\":\"aapl\",\"detail\":\"a\\u0000b" + "x".repeat(5_000) + "\"}");

        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("symbol 'AB\uFFFDC' is not 1 to 32"),
                        r -> assertThat(r).startsWith("symbol 'ZZZ").hasSizeLessThan(200),
                        r -> assertThat(r).startsWith("id 'not-a-uuid' is not a UUID"),
                        r -> assertThat(r).startsWith("\"barTime\" is not a time"),
                        r -> assertThat(r).startsWith("\"requestedAt\" is not a time"));
        assertThat(requests())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.symbol()).isEqualTo("AAPL");
                            assertThat(r.detail())
                                    .startsWith("a\uFFFDb")
                                    .hasSize(RepredictionParser.MAX_DETAIL_CHARS);
                        });
    }
}
