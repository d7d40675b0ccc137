package io.barcast.functions.models;

import io.barcast.functions.NoEventTime;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A source of the model catalog: it scans the models folder every {@code interval} through the
 * JVM's shared {@link ModelRegistry} (which validates and swaps models) and emits what serves now,
 * with the problems found. Run it at parallelism 1 and broadcast it.
 */
public final class ModelWatch {

    private ModelWatch() {}

    /**
     * @param interval time between scans; zero scans once
     * @param bounded scan once and finish, so a bounded job ends with its input
     */
    public static DataGeneratorSource<ModelCatalog> source(
            ModelLocation location, Duration interval, boolean bounded) {
        boolean once = bounded || interval.isZero();
        RateLimiterStrategy<?> rate =
                once
                        ? RateLimiterStrategy.noOp()
                        : RateLimiterStrategy.perSecond(1000.0 / interval.toMillis());
        return new DataGeneratorSource<>(
                new Scanner(location),
                once ? 1 : Long.MAX_VALUE,
                rate,
                TypeInformation.of(ModelCatalog.class));
    }

    /**
     * Watermarks of the catalog stream: always the end of time, so that the catalog, which carries
     * no event time, never holds back the bars' event time where the two streams meet.
     */
    public static WatermarkStrategy<ModelCatalog> watermarks() {
        return NoEventTime.watermarks();
    }

    /** Scans on every call; the registry reports each broken model once. */
    static final class Scanner implements GeneratorFunction<Long, ModelCatalog> {

        private final ModelLocation location;
        private transient ModelRegistry registry;

        Scanner(ModelLocation location) {
            this.location = location;
        }

        @Override
        public void open(SourceReaderContext context) {
            registry = ModelRegistry.acquire(location);
        }

        @Override
        public ModelCatalog map(Long scan) {
            return registry.refresh();
        }

        @Override
        public void close() {
            if (registry != null) {
                registry.release();
            }
        }
    }
}
