package io.barcast.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every record of the bars topic becomes one incoming bar: parsed, or unparsed with its reason. */
class KafkaBarDeserializerTest {

    private final KafkaBarDeserializer deserializer = new KafkaBarDeserializer();
    private final List<IncomingBar> out = new ArrayList<>();
    private final Collector<IncomingBar> collector =
            new Collector<>() {
                @Override
                public void collect(IncomingBar bar) {
                    out.add(bar);
                }

                @Override
                public void close() {}
            };

    @BeforeEach
    void open() {
        deserializer.open(null);
    }

    private IncomingBar read(byte[] value) {
        deserializer.deserialize(
                new ConsumerRecord<>(
                        "bars", 2, 41L, "X:ETHUSD".getBytes(StandardCharsets.UTF_8), value),
                collector);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void readsAJsonBarAndSaysWhereItCameFrom() {
        IncomingBar bar =
                read(
                        "{\"symbol\":\"X:ETHUSD\",\"t\":1678000500000,\"o\":10,\"h\":11,\"l\":9,\"c\":10.5,\"v\":3}"
                                .getBytes(StandardCharsets.UTF_8));
        assertThat(bar.isParsed()).isTrue();
        assertThat(bar.bar()).isEqualTo(Bar.of("X:ETHUSD", 1678000500000L, 10, 11, 9, 10.5, 3));
        assertThat(bar.origin()).isEqualTo("kafka:bars/2@41");
    }

    @Test
    void keepsTextThatIsNotABarWithTheReason() {
        IncomingBar bar = read("{\"symbol\":\"X:ETHUSD\"".getBytes(StandardCharsets.UTF_8));
        assertThat(bar.isParsed()).isFalse();
        assertThat(bar.payload()).isEqualTo("{\"symbol\":\"X:ETHUSD\"");
        assertThat(bar.problem()).isNotBlank();
        assertThat(bar.origin()).isEqualTo("kafka:bars/2@41");
    }

    @Test
    void aTombstoneIsADeadLetterNotAFailure() {
        IncomingBar bar = read(null);
        assertThat(bar.isParsed()).isFalse();
        assertThat(bar.problem()).contains("tombstone");
    }

    @Test
    void bytesThatAreNotUtf8AreADeadLetterSayingWhere() {
        IncomingBar bar = read(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertThat(bar.isParsed()).isFalse();
        assertThat(bar.problem()).isEqualTo("not valid UTF-8 at byte 1 of 4");
    }
}
