package io.barcast.functions.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.InferenceResult;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.junit.jupiter.api.Test;

/**
 * A savepoint gives the tracker back its state by name, and each state's serializer by the name of
 * the class it holds: neither may change, so the classes held in state stay in this package.
 */
class TrackerStateTest {

    /** The package of the classes held in state: their names are in every savepoint. */
    private static final String TRACK = "io.barcast.functions.track.";

    private static String classOf(Object instance) {
        return instance.getClass().getName();
    }

    private static <D extends StateDescriptor<?, ?>> D initialized(D descriptor) {
        descriptor.initializeSerializerUnlessSet(new ExecutionConfig());
        return descriptor;
    }

    private static void assertValue(ValueStateDescriptor<?> descriptor, String name, String pojo) {
        initialized(descriptor);
        assertThat(descriptor.getName()).isEqualTo(name);
        assertThat(descriptor.getSerializer()).isInstanceOf(PojoSerializer.class);
        assertThat(classOf(descriptor.getSerializer().createInstance())).isEqualTo(pojo);
    }

    @Test
    void theStateKeepsTheNamesAndClassesOfEarlierSavepoints() {
        assertValue(PredictionTracker.recentDescriptor(), "recent-bars", TRACK + "BarRing");
        assertValue(
                PredictionTracker.forecastsDescriptor(),
                "recent-forecasts",
                TRACK + "RecentForecasts");
        assertValue(HealthWatch.healthDescriptor(), "forecast-health", TRACK + "ForecastHealth");

        MapStateDescriptor<Long, PendingPoints> pending =
                initialized(PointBook.pendingDescriptor());
        assertThat(pending.getName()).isEqualTo("pending-points");
        assertThat(pending.getKeySerializer()).isInstanceOf(LongSerializer.class);
        assertThat(classOf(pending.getValueSerializer().createInstance()))
                .isEqualTo(TRACK + "PendingPoints");

        MapStateDescriptor<Integer, ResidualRing> residuals =
                initialized(PointBook.residualsDescriptor());
        assertThat(residuals.getName()).isEqualTo("residuals");
        assertThat(residuals.getKeySerializer()).isInstanceOf(IntSerializer.class);
        assertThat(classOf(residuals.getValueSerializer().createInstance()))
                .isEqualTo(TRACK + "ResidualRing");

        ListStateDescriptor<OpenTrade> open = initialized(TradeBook.openTradesDescriptor());
        assertThat(open.getName()).isEqualTo("open-trades");
        assertThat(classOf(open.getElementSerializer().createInstance()))
                .isEqualTo(TRACK + "OpenTrade");

        ListStateDescriptor<InferenceResult> waiting =
                initialized(WaitingResults.waitingDescriptor());
        assertThat(waiting.getName()).isEqualTo("results-waiting-for-their-bar");
        assertThat(waiting.getElementSerializer()).isInstanceOf(PojoSerializer.class);
    }
}
