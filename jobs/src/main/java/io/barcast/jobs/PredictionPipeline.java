package io.barcast.jobs;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.DeadLetterMeter;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.inference.OnnxForecaster;
import io.barcast.functions.predict.PredictionBuilder;
import io.barcast.functions.sanitize.BarEventTime;
import io.barcast.functions.sanitize.BarSanitizer;
import io.barcast.functions.window.SymbolWindowFunction;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The topology: bars in, forecasts out.
 *
 * <pre>
 * source -> BarSanitizer -> keyBy(symbol) -> SymbolWindowFunction -> OnnxForecaster (async,
 * micro-batched) -> PredictionBuilder -> sinks; every stage's rejects -> dead letters
 * </pre>
 *
 * The job, the CLI and the tests all run this same topology with their own sources and sinks.
 */
public final class PredictionPipeline {

    private PredictionPipeline() {}

    public static void define(
            StreamExecutionEnvironment env,
            Source<IncomingBar, ?, ?> source,
            PipelineSinks sinks,
            PipelineSettings settings) {
        Configuration noKryo = new Configuration();
        noKryo.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        env.configure(noKryo);

        ModelSpec spec = settings.model().spec();
        long intervalMillis = spec.interval().toMillis();
        WatermarkStrategy<IncomingBar> watermarks =
                WatermarkStrategy.<IncomingBar>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner(new BarEventTime(spec.interval()))
                        .withIdleness(settings.idleness());

        DataStream<IncomingBar> incoming =
                env.fromSource(source, watermarks, "bars").uid("bars-source");

        SingleOutputStreamOperator<Bar> sanitized =
                incoming.process(new BarSanitizer(spec.interval()))
                        .name("BarSanitizer")
                        .uid("bar-sanitizer");

        SingleOutputStreamOperator<InferenceRequest> requests =
                sanitized
                        .keyBy(Bar::symbol)
                        .process(new SymbolWindowFunction(spec, settings.windowTtl()))
                        .name("SymbolWindowFunction")
                        .uid("symbol-window");

        SingleOutputStreamOperator<InferenceResult> results =
                AsyncDataStream.unorderedWait(
                                requests,
                                new OnnxForecaster(
                                        settings.model(),
                                        settings.inferenceBatchSize(),
                                        settings.inferenceBatchWait()),
                                settings.inferenceTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                settings.inferenceCapacity())
                        .name("OnnxForecaster")
                        .uid("onnx-forecaster");

        SingleOutputStreamOperator<Prediction> predictions =
                results.process(new PredictionBuilder(spec))
                        .name("PredictionBuilder")
                        .uid("prediction-builder");

        DataStream<DeadLetter> deadLetters =
                sanitized
                        .getSideOutput(DeadLetters.TAG)
                        .union(
                                requests.getSideOutput(DeadLetters.TAG),
                                predictions.getSideOutput(DeadLetters.TAG))
                        .map(new DeadLetterMeter())
                        .name("DeadLetterMeter")
                        .uid("dead-letter-meter");

        sinks.bars(requests.getSideOutput(SymbolWindowFunction.ACCEPTED_BARS));
        sinks.predictions(predictions);
        sinks.deadLetters(deadLetters);
    }
}
