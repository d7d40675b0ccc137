package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job fails once in the middle of the stream, after a checkpoint, and restores from it: the
 * database and the read_committed topic must then hold every forecast exactly once.
 */
class RecoveryITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    /** The MiniCluster runs in this JVM, so the failure switch can be static. */
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    private static final AtomicInteger CHECKPOINTS = new AtomicInteger();

    @TempDir static Path dir;

    @Test
    void restoresFromACheckpointWithoutLosingOrRepeatingAForecast() throws Exception {
        List<Bar> eth = RealBars.eth15m();
        Path input = PipelineTestSupport.writeEthInput(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("cp"), "recovery");
        // about 12 s of replay, so that checkpoints complete before the failure
        long span = eth.get(eth.size() - 1).time() - eth.get(0).time();
        settings.put("replay.speed", Double.toString(span / 12_000.0));
        settings.put("checkpoint.interval", "500ms");
        settings.put("flink.restart-strategy.type", "fixed-delay");
        settings.put("flink.restart-strategy.fixed-delay.attempts", "3");
        settings.put("flink.restart-strategy.fixed-delay.delay", "200ms");
        BarcastConfig config = BarcastConfig.of(settings);

        PredictionJob.prepareExternalSystems(config);
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionPipeline.define(
                env,
                BarSources.create(config),
                new FailOnceSinks(new ProductionSinks(config)),
                PipelineSettings.from(config));
        env.execute("barcast-recovery");

        assertThat(FAILED).as("the job failed once on purpose").isTrue();
        int expected = eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        assertThat(DB.count("SELECT count(*) FROM predictions")).isEqualTo(expected);

        PipelineTestSupport.assertEachOnceOnTopic(KAFKA, "recovery.predictions", expected);

        // every point whose bar came validated once, in the table and on the topic, as without
        // the failure (a point's validation is a function of its forecast and its bar)
        long validations =
                DB.count(
                        "SELECT count(*) FROM predictions p CROSS JOIN"
                                + " unnest(ARRAY[1,2,4,8,16,26,52,78,104,130,260,390,520,672])"
                                + " AS s(step) JOIN bars b ON b.symbol = p.symbol"
                                + " AND b.bar_time = p.path_times[s.step]");
        assertThat(DB.count("SELECT count(*) FROM validations")).isEqualTo(validations);
        PipelineTestSupport.assertEachOnceOnTopic(KAFKA, "recovery.validations", (int) validations);
    }

    /** The production sinks, with a failure injected before the predictions reach them. */
    private static final class FailOnceSinks implements PipelineSinks {
        private final PipelineSinks delegate;

        FailOnceSinks(PipelineSinks delegate) {
            this.delegate = delegate;
        }

        @Override
        public void bars(DataStream<Bar> bars) {
            delegate.bars(bars);
        }

        @Override
        public void predictions(DataStream<Prediction> predictions) {
            delegate.predictions(predictions.map(new FailOnceAfterCheckpoint()).uid("fail-once"));
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            delegate.deadLetters(deadLetters);
        }

        @Override
        public void recommendations(DataStream<Recommendation> recommendations) {
            delegate.recommendations(recommendations);
        }

        @Override
        public void accuracy(DataStream<Accuracy> accuracy) {
            delegate.accuracy(accuracy);
        }

        @Override
        public void tradeOutcomes(DataStream<TradeOutcome> outcomes) {
            delegate.tradeOutcomes(outcomes);
        }

        @Override
        public void repredictions(DataStream<RepredictionRequest> requests) {
            delegate.repredictions(requests);
        }

        @Override
        public void retrains(DataStream<RetrainRequest> requests) {
            delegate.retrains(requests);
        }

        @Override
        public void alerts(DataStream<Alert> alerts) {
            delegate.alerts(alerts);
        }

        @Override
        public void validations(DataStream<Validation> validations) {
            delegate.validations(validations);
        }
    }

    /** Throws once, after two checkpoints completed and some forecasts went by. */
    private static final class FailOnceAfterCheckpoint
            extends RichMapFunction<Prediction, Prediction> implements CheckpointListener {
        private int seen;

        @Override
        public Prediction map(Prediction prediction) {
            if (++seen > 10 && CHECKPOINTS.get() >= 2 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            return prediction;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }
}
