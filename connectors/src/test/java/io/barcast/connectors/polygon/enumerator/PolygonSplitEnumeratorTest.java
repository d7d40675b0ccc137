package io.barcast.connectors.polygon.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.barcast.connectors.polygon.split.PolygonSplit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

class PolygonSplitEnumeratorTest {

    private static int grants(MockSplitEnumeratorContext<PolygonSplit> context, int subtask)
            throws Exception {
        List<SourceEvent> events = context.getSentSourceEvent().getOrDefault(subtask, List.of());
        return (int) events.stream().filter(e -> e instanceof BudgetEvents.PermitGranted).count();
    }

    @Test
    void aRestartedReadersOldRequestsAreDroppedNotGranted() throws Exception {
        try (MockSplitEnumeratorContext<PolygonSplit> context =
                new MockSplitEnumeratorContext<>(2)) {
            PolygonSplitEnumerator enumerator =
                    new PolygonSplitEnumerator(
                            context,
                            List.of(
                                    new PolygonSplit("polygon-0", Map.of("AAPL", 0L)),
                                    new PolygonSplit("polygon-1", Map.of("MSFT", 0L))),
                            600);
            for (int subtask = 0; subtask < 2; subtask++) {
                context.registerReader(new ReaderInfo(subtask, "localhost"));
                enumerator.addReader(subtask);
            }
            for (int i = 0; i < 3; i++) {
                enumerator.handleSourceEvent(0, new BudgetEvents.PermitRequest());
            }
            enumerator.handleSourceEvent(1, new BudgetEvents.PermitRequest());
            assertThat(grants(context, 0)).isEqualTo(1);

            // Reader 0 restarts and registers again: its two waiting requests are void.
            enumerator.addReader(0);

            await().atMost(Duration.ofSeconds(10)).until(() -> grants(context, 1) == 1);
            assertThat(grants(context, 0)).isEqualTo(1);
            enumerator.close();
        }
    }

    @Test
    void aPermitForAReaderThatIsGoneIsDroppedWithoutFailing() throws Exception {
        try (MockSplitEnumeratorContext<PolygonSplit> context =
                new MockSplitEnumeratorContext<>(1)) {
            PolygonSplitEnumerator enumerator =
                    new PolygonSplitEnumerator(
                            context,
                            List.of(new PolygonSplit("polygon-0", Map.of("AAPL", 0L))),
                            600);
            enumerator.handleSourceEvent(0, new BudgetEvents.PermitRequest());
            assertThat(grants(context, 0)).isZero();
            enumerator.close();
        }
    }
}
