package io.barcast.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.api.push.EventKind;
import org.junit.jupiter.api.Test;

class StreamPositionTest {

    @Test
    void anIdIsReadBackAsThePositionItWasMadeOf() {
        StreamPosition position = StreamPosition.none().with(1, 998).with(0, 1205);
        String id = position.id(EventKind.PREDICTION);
        assertThat(id).isEqualTo("prediction:0-1205,1-998");
        assertThat(StreamPosition.parse(EventKind.PREDICTION, id)).isEqualTo(position);
        assertThat(StreamPosition.parse(EventKind.ALERT, "alert:"))
                .isEqualTo(StreamPosition.none());
    }

    @Test
    void partitionsAPositionDoesNotNameAreUnknown() {
        StreamPosition position = StreamPosition.parse(EventKind.ALERT, "alert:2-7");
        assertThat(position.next(0)).isEqualTo(-1);
        assertThat(position.next(2)).isEqualTo(7);
        assertThat(position.next(9)).isEqualTo(-1);
        assertThat(position.id(EventKind.ALERT)).isEqualTo("alert:2-7");
    }

    @Test
    void coversAndMaxComparePartitionByPartition() {
        StreamPosition a = StreamPosition.parse(EventKind.ALERT, "alert:0-5,1-9");
        StreamPosition b = StreamPosition.parse(EventKind.ALERT, "alert:0-7,1-3");
        assertThat(a.covers(b)).isFalse();
        assertThat(b.covers(a)).isFalse();
        StreamPosition max = a.max(b);
        assertThat(max.id(EventKind.ALERT)).isEqualTo("alert:0-7,1-9");
        assertThat(max.covers(a)).isTrue();
        assertThat(max.covers(b)).isTrue();
        assertThat(a.covers(StreamPosition.none())).isTrue();
    }

    @Test
    void refusesIdsThatAreNotThisStreams() {
        assertThatThrownBy(() -> StreamPosition.parse(EventKind.ALERT, "prediction:0-5"))
                .hasMessageContaining("another stream");
        for (String bad :
                new String[] {
                    "",
                    "12",
                    "alert",
                    "alert:0",
                    "alert:0-",
                    "alert:-5",
                    "alert:x-1",
                    "alert:0-1,0-2",
                    "alert:0--1",
                    "alert:99999-1",
                    "alert:0-1,",
                    "alert:0-99999999999999999999"
                }) {
            assertThatThrownBy(() -> StreamPosition.parse(EventKind.ALERT, bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
