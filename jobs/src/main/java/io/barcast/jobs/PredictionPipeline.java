package io.barcast.jobs;

import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.functions.DeadLetterMeter;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.inference.OnnxForecaster;
import io.barcast.functions.models.ModelCatalog;
import io.barcast.functions.models.ModelProblemAlerts;
import io.barcast.functions.models.ModelWatch;
import io.barcast.functions.sanitize.BarEventTime;
import io.barcast.functions.sanitize.BarSanitizer;
import io.barcast.functions.track.PredictionTracker;
import io.barcast.functions.window.SymbolWindowFunction;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The topology: bars in, forecasts, trades and alerts out.
 *
 * <pre>
 * source -> BarSanitizer -> keyBy(symbol) -> SymbolWindowFunction <- model catalog (broadcast,
 * from ModelWatch) -> OnnxForecaster (async, micro-batched) -> keyBy(symbol) -> PredictionTracker
 * <- accepted bars -> predictions, recommendations; model problems -> alerts; every stage's
 * rejects -> dead letters
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

        Duration interval = settings.tracker().interval();
        WatermarkStrategy<IncomingBar> watermarks =
                WatermarkStrategy.<IncomingBar>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner(new BarEventTime(interval))
                        .withIdleness(settings.idleness());

        DataStream<IncomingBar> incoming =
                env.fromSource(source, watermarks, "bars").uid("bars-source");

        SingleOutputStreamOperator<Bar> sanitized =
                incoming.process(new BarSanitizer(interval))
                        .name("BarSanitizer")
                        .uid("bar-sanitizer");

        // A bounded run scans the models once, so the job ends with its input.
        boolean bounded = source.getBoundedness() == Boundedness.BOUNDED;
        DataStream<ModelCatalog> catalogs =
                env.fromSource(
                                ModelWatch.source(
                                        settings.models(), settings.modelReloadInterval(), bounded),
                                ModelWatch.watermarks(),
                                "model catalog")
                        .setParallelism(1)
                        .uid("model-catalog");

        SingleOutputStreamOperator<InferenceRequest> requests =
                sanitized
                        .keyBy(Bar::symbol)
                        .connect(catalogs.broadcast(SymbolWindowFunction.catalogDescriptor()))
                        .process(
                                new SymbolWindowFunction(
                                        settings.initialCatalog(), settings.windowTtl()))
                        .name("SymbolWindowFunction")
                        .uid("symbol-window");

        SingleOutputStreamOperator<InferenceResult> results =
                AsyncDataStream.unorderedWait(
                                requests,
                                new OnnxForecaster(
                                        settings.models(),
                                        settings.calendars(),
                                        settings.inferenceBatchSize(),
                                        settings.inferenceBatchWait()),
                                settings.inferenceTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                settings.inferenceCapacity())
                        .name("OnnxForecaster")
                        .uid("onnx-forecaster");

        DataStream<Bar> accepted = requests.getSideOutput(SymbolWindowFunction.ACCEPTED_BARS);

        SingleOutputStreamOperator<Prediction> predictions =
                results.keyBy(InferenceResult::symbol)
                        .connect(accepted.keyBy(Bar::symbol))
                        .process(new PredictionTracker(settings.tracker()))
                        .name("PredictionTracker")
                        .uid("prediction-tracker");

        DataStream<Alert> alerts =
                catalogs.flatMap(new ModelProblemAlerts())
                        .setParallelism(1)
                        .name("ModelProblemAlerts")
                        .uid("model-problem-alerts");

        DataStream<DeadLetter> deadLetters =
                sanitized
                        .getSideOutput(DeadLetters.TAG)
                        .union(
                                requests.getSideOutput(DeadLetters.TAG),
                                predictions.getSideOutput(DeadLetters.TAG))
                        .map(new DeadLetterMeter())
                        .name("DeadLetterMeter")
                        .uid("dead-letter-meter");

        sinks.bars(accepted);
        sinks.predictions(predictions);
        sinks.recommendations(predictions.getSideOutput(PredictionTracker.RECOMMENDATIONS));
        sinks.alerts(alerts);
        sinks.validations(predictions.getSideOutput(PredictionTracker.VALIDATIONS));
        sinks.deadLetters(deadLetters);
    }
}
