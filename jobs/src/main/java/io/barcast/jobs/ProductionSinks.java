package io.barcast.jobs;

import io.barcast.connectors.jdbc.JdbcSinks;
import io.barcast.connectors.kafka.KafkaSinks;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Prediction;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.KafkaOptions;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The job's sinks: PostgreSQL (idempotent upserts) for bars, predictions and dead letters, and
 * Kafka (exactly-once JSON keyed by symbol) for predictions and dead letters.
 */
public final class ProductionSinks implements PipelineSinks {

    private final JdbcSinks.Database database;
    private final String bootstrapServers;
    private final String predictionsTopic;
    private final String deadLettersTopic;
    private final Duration transactionTimeout;

    public ProductionSinks(BarcastConfig config) {
        this.database = Databases.of(config);
        this.bootstrapServers = BarSources.requireKafka(config);
        this.predictionsTopic = config.get(KafkaOptions.TOPIC_PREDICTIONS);
        this.deadLettersTopic = config.get(KafkaOptions.TOPIC_DEAD_LETTERS);
        this.transactionTimeout = config.get(KafkaOptions.TRANSACTION_TIMEOUT);
    }

    @Override
    public void bars(DataStream<Bar> bars) {
        bars.sinkTo(JdbcSinks.bars(database)).name("bars -> PostgreSQL").uid("bars-jdbc");
    }

    @Override
    public void predictions(DataStream<Prediction> predictions) {
        predictions
                .sinkTo(JdbcSinks.predictions(database))
                .name("predictions -> PostgreSQL")
                .uid("predictions-jdbc");
        predictions
                .sinkTo(
                        KafkaSinks.exactlyOnceJson(
                                bootstrapServers,
                                predictionsTopic,
                                Prediction::symbol,
                                "barcast-predictions",
                                transactionTimeout))
                .name("predictions -> Kafka")
                .uid("predictions-kafka");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters
                .sinkTo(JdbcSinks.deadLetters(database))
                .name("dead letters -> PostgreSQL")
                .uid("dead-letters-jdbc");
        deadLetters
                .sinkTo(
                        KafkaSinks.exactlyOnceJson(
                                bootstrapServers,
                                deadLettersTopic,
                                DeadLetter::symbol,
                                "barcast-dead-letters",
                                transactionTimeout))
                .name("dead letters -> Kafka")
                .uid("dead-letters-kafka");
    }
}
