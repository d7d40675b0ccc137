package io.barcast.jobs;

import io.barcast.connectors.jdbc.JdbcSinks;
import io.barcast.connectors.kafka.KafkaSinks;
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
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.KafkaOptions;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The job's sinks: PostgreSQL (idempotent upserts) for bars, predictions, recommendations,
 * validations, accuracy, trade outcomes, reprediction and retrain requests, alerts and dead
 * letters, and Kafka (exactly-once JSON keyed by symbol) for all but the bars. The benchmark leaves
 * PostgreSQL out, the backtest Kafka. A row or record a sink refuses is set aside as a dead letter
 * (PostgreSQL: in {@code dead_letters}, else {@code sink_failures}; Kafka: in the dead-letters
 * topic) and the rest flows on.
 */
public final class ProductionSinks implements PipelineSinks {

    /** Null when only Kafka is written (the benchmark). */
    private final JdbcSinks.Database database;

    /** Null when only PostgreSQL is written (the backtest). */
    private final String bootstrapServers;

    private final String predictionsTopic;
    private final String deadLettersTopic;
    private final String recommendationsTopic;
    private final String alertsTopic;
    private final String validationsTopic;
    private final String accuracyTopic;
    private final String outcomesTopic;
    private final String repredictionsTopic;
    private final String retrainsTopic;
    private final Duration transactionTimeout;
    private final int maxRecordBytes;

    private ProductionSinks(BarcastConfig config, JdbcSinks.Database database, boolean kafka) {
        this.database = database;
        this.bootstrapServers = kafka ? BarSources.requireKafka(config) : null;
        this.predictionsTopic = config.get(KafkaOptions.TOPIC_PREDICTIONS);
        this.deadLettersTopic = config.get(KafkaOptions.TOPIC_DEAD_LETTERS);
        this.recommendationsTopic = config.get(KafkaOptions.TOPIC_RECOMMENDATIONS);
        this.alertsTopic = config.get(KafkaOptions.TOPIC_ALERTS);
        this.validationsTopic = config.get(KafkaOptions.TOPIC_VALIDATIONS);
        this.accuracyTopic = config.get(KafkaOptions.TOPIC_ACCURACY);
        this.outcomesTopic = config.get(KafkaOptions.TOPIC_TRADE_OUTCOMES);
        this.repredictionsTopic = config.get(KafkaOptions.TOPIC_REPREDICTIONS);
        this.retrainsTopic = config.get(KafkaOptions.TOPIC_RETRAINS);
        this.transactionTimeout = config.get(KafkaOptions.TRANSACTION_TIMEOUT);
        this.maxRecordBytes = config.get(KafkaOptions.MAX_RECORD_BYTES);
    }

    /** PostgreSQL and Kafka, as the job runs. */
    public ProductionSinks(BarcastConfig config) {
        this(config, Databases.of(config), true);
    }

    /** Kafka only; bars are discarded. */
    public static ProductionSinks kafkaOnly(BarcastConfig config) {
        return new ProductionSinks(config, null, true);
    }

    /** PostgreSQL only: a backtest publishes nothing, its report reads the tables. */
    public static ProductionSinks databaseOnly(BarcastConfig config) {
        return new ProductionSinks(config, Databases.of(config), false);
    }

    @Override
    public void bars(DataStream<Bar> bars) {
        if (database == null) {
            bars.sinkTo(new DiscardingSink<>()).name("bars (discarded)").uid("bars-discarded");
        } else {
            bars.sinkTo(JdbcSinks.bars(database)).name("bars -> PostgreSQL").uid("bars-jdbc");
        }
    }

    @Override
    public void predictions(DataStream<Prediction> predictions) {
        if (database != null) {
            predictions
                    .sinkTo(JdbcSinks.predictions(database))
                    .name("predictions -> PostgreSQL")
                    .uid("predictions-jdbc");
        }
        toKafka(predictions, predictionsTopic, Prediction::symbol, "predictions");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        if (database != null) {
            deadLetters
                    .sinkTo(JdbcSinks.deadLetters(database))
                    .name("dead letters -> PostgreSQL")
                    .uid("dead-letters-jdbc");
        }
        toKafka(deadLetters, deadLettersTopic, DeadLetter::symbol, "dead-letters");
    }

    @Override
    public void recommendations(DataStream<Recommendation> recommendations) {
        if (database != null) {
            recommendations
                    .sinkTo(JdbcSinks.recommendations(database))
                    .name("recommendations -> PostgreSQL")
                    .uid("recommendations-jdbc");
        }
        toKafka(recommendations, recommendationsTopic, Recommendation::symbol, "recommendations");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        if (database != null) {
            alerts.sinkTo(JdbcSinks.alerts(database))
                    .name("alerts -> PostgreSQL")
                    .uid("alerts-jdbc");
        }
        toKafka(alerts, alertsTopic, Alert::symbol, "alerts");
    }

    @Override
    public void validations(DataStream<Validation> validations) {
        if (database != null) {
            validations
                    .sinkTo(JdbcSinks.validations(database))
                    .name("validations -> PostgreSQL")
                    .uid("validations-jdbc");
        }
        toKafka(validations, validationsTopic, Validation::symbol, "validations");
    }

    @Override
    public void accuracy(DataStream<Accuracy> accuracy) {
        if (database != null) {
            accuracy.sinkTo(JdbcSinks.accuracy(database))
                    .name("accuracy -> PostgreSQL")
                    .uid("accuracy-jdbc");
        }
        toKafka(accuracy, accuracyTopic, Accuracy::symbol, "accuracy");
    }

    @Override
    public void tradeOutcomes(DataStream<TradeOutcome> outcomes) {
        if (database != null) {
            outcomes.sinkTo(JdbcSinks.tradeOutcomes(database))
                    .name("trade outcomes -> PostgreSQL")
                    .uid("trade-outcomes-jdbc");
        }
        toKafka(outcomes, outcomesTopic, TradeOutcome::symbol, "trade-outcomes");
    }

    @Override
    public void repredictions(DataStream<RepredictionRequest> requests) {
        if (database != null) {
            requests.sinkTo(JdbcSinks.repredictions(database))
                    .name("repredictions -> PostgreSQL")
                    .uid("repredictions-jdbc");
        }
        toKafka(requests, repredictionsTopic, RepredictionRequest::symbol, "repredictions");
    }

    @Override
    public void retrains(DataStream<RetrainRequest> requests) {
        if (database != null) {
            requests.sinkTo(JdbcSinks.retrains(database))
                    .name("retrain requests -> PostgreSQL")
                    .uid("retrain-requests-jdbc");
        }
        toKafka(requests, retrainsTopic, RetrainRequest::symbol, "retrain-requests");
    }

    private <T> void toKafka(
            DataStream<T> stream, String topic, SerializableFunction<T, String> key, String what) {
        if (bootstrapServers == null) {
            return;
        }
        stream.sinkTo(
                        KafkaSinks.exactlyOnceJson(
                                bootstrapServers,
                                topic,
                                key,
                                deadLettersTopic,
                                maxRecordBytes,
                                "barcast-" + topic,
                                transactionTimeout))
                .name(what.replace('-', ' ') + " -> Kafka")
                .uid(what + "-kafka");
    }
}
