package io.barcast.jobs;

import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.TopicMessage;
import io.barcast.functions.DeadLetterMeter;
import io.barcast.functions.DeadLetters;
import io.barcast.functions.NoEventTime;
import io.barcast.functions.inference.OnnxForecaster;
import io.barcast.functions.models.ModelCatalog;
import io.barcast.functions.models.ModelProblemAlerts;
import io.barcast.functions.models.ModelWatch;
import io.barcast.functions.monitor.AlertGate;
import io.barcast.functions.monitor.DeadLetterRate;
import io.barcast.functions.sanitize.BarChecks;
import io.barcast.functions.sanitize.BarEventTime;
import io.barcast.functions.sanitize.BarSanitizer;
import io.barcast.functions.track.PredictionTracker;
import io.barcast.functions.window.RepredictionParser;
import io.barcast.functions.window.SymbolWindowFunction;
import io.barcast.functions.window.WindowInput;
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
 * The topology: bars in, forecasts, trades, validations and alerts out.
 *
 * <pre>
 * source -> BarSanitizer -> keyBy(symbol) -> SymbolWindowFunction <- model catalog (broadcast,
 * from ModelWatch), reprediction requests (read back from their topic) -> OnnxForecaster (async,
 * micro-batched) -> keyBy(symbol) -> PredictionTracker <- accepted bars -> predictions,
 * recommendations, validations, accuracy, trade outcomes, reprediction and retrain requests;
 * tracker, model and dead-letter-rate alerts -> AlertGate -> alerts; every stage's rejects ->
 * dead letters
 * </pre>
 *
 * The job, the CLI and the tests all run this same topology with their own sources and sinks. Flink
 * 2 has no iterations, so the reprediction loop goes through the sinks' repredictions topic and
 * comes back as a source.
 */
public final class PredictionPipeline {

    private PredictionPipeline() {}

    /** The topology without the reprediction loop: requests are only sent to the sinks. */
    public static void define(
            StreamExecutionEnvironment env,
            Source<IncomingBar, ?, ?> source,
            PipelineSinks sinks,
            PipelineSettings settings) {
        define(env, source, null, sinks, settings);
    }

    /**
     * @param repredictions the reprediction requests' topic read back, or null for no loop
     */
    public static void define(
            StreamExecutionEnvironment env,
            Source<IncomingBar, ?, ?> source,
            Source<TopicMessage, ?, ?> repredictions,
            PipelineSinks sinks,
            PipelineSettings settings) {
        Configuration noKryo = new Configuration();
        noKryo.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        env.configure(noKryo);

        BarChecks checks = settings.barChecks();
        WatermarkStrategy<IncomingBar> watermarks =
                WatermarkStrategy.<IncomingBar>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner(new BarEventTime(checks))
                        .withIdleness(settings.idleness());

        DataStream<IncomingBar> incoming =
                env.fromSource(source, watermarks, "bars").uid("bars-source");

        SingleOutputStreamOperator<Bar> sanitized =
                incoming.process(new BarSanitizer(checks))
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

        DataStream<WindowInput> windowInput = sanitized.map(WindowInput::of).name("bars");
        SingleOutputStreamOperator<WindowInput> asked = null;
        if (repredictions != null) {
            asked =
                    env.fromSource(repredictions, NoEventTime.watermarks(), "reprediction requests")
                            .uid("repredictions-source")
                            .process(new RepredictionParser())
                            .name("RepredictionParser")
                            .uid("reprediction-parser");
            windowInput = windowInput.union(asked);
        }

        SingleOutputStreamOperator<InferenceRequest> requests =
                windowInput
                        .keyBy(WindowInput::symbol)
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

        DataStream<DeadLetter> rejected =
                sanitized
                        .getSideOutput(DeadLetters.TAG)
                        .union(
                                requests.getSideOutput(DeadLetters.TAG),
                                predictions.getSideOutput(DeadLetters.TAG));
        if (asked != null) {
            rejected = rejected.union(asked.getSideOutput(DeadLetters.TAG));
        }
        DataStream<DeadLetter> deadLetters =
                rejected.map(new DeadLetterMeter())
                        .name("DeadLetterMeter")
                        .uid("dead-letter-meter");

        DataStream<Alert> deadLetterAlerts =
                deadLetters
                        .keyBy(DeadLetter::stage)
                        .process(new DeadLetterRate(settings.deadLettersPerMinute()))
                        .name("DeadLetterRate")
                        .uid("dead-letter-rate");
        DataStream<Alert> alerts =
                catalogs.flatMap(new ModelProblemAlerts())
                        .setParallelism(1)
                        .name("ModelProblemAlerts")
                        .uid("model-problem-alerts")
                        .union(
                                predictions.getSideOutput(PredictionTracker.ALERTS),
                                deadLetterAlerts)
                        .keyBy(AlertGate::keyOf)
                        .process(new AlertGate(settings.alertMinInterval()))
                        .name("AlertGate")
                        .uid("alert-gate");

        sinks.bars(accepted);
        sinks.predictions(predictions);
        sinks.recommendations(predictions.getSideOutput(PredictionTracker.RECOMMENDATIONS));
        sinks.alerts(alerts);
        sinks.validations(predictions.getSideOutput(PredictionTracker.VALIDATIONS));
        sinks.accuracy(predictions.getSideOutput(PredictionTracker.ACCURACY));
        sinks.tradeOutcomes(predictions.getSideOutput(PredictionTracker.OUTCOMES));
        sinks.repredictions(predictions.getSideOutput(PredictionTracker.REPREDICTIONS));
        sinks.retrains(predictions.getSideOutput(PredictionTracker.RETRAINS));
        sinks.deadLetters(deadLetters);
    }
}
