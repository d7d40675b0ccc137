package io.barcast.functions;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of a stream that carries no event time (model catalogs, reprediction requests): only
 * {@code Long.MAX_VALUE}, so joining it never holds back the bars' event time.
 */
public final class NoEventTime<T> implements WatermarkGenerator<T> {

    public static <T> WatermarkStrategy<T> watermarks() {
        return WatermarkStrategy.forGenerator(context -> new NoEventTime<>());
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
}
