package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** The Kafka cluster barcast reads bars from and writes its results to. */
public final class KafkaOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka bootstrap servers (host:port,...). The demo starts an embedded"
                                    + " broker when this is not set.");

    public static final ConfigOption<String> TOPIC_BARS =
            key("kafka.topic.bars")
                    .stringType()
                    .defaultValue("barcast.bars")
                    .withDescription("Topic of JSON bars read when source=kafka.");

    public static final ConfigOption<String> TOPIC_PREDICTIONS =
            key("kafka.topic.predictions")
                    .stringType()
                    .defaultValue("barcast.predictions")
                    .withDescription("Topic the forecasts are written to (JSON, keyed by symbol).");

    public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
            key("kafka.topic.dead-letters")
                    .stringType()
                    .defaultValue("barcast.dead-letters")
                    .withDescription(
                            "Topic of rejected input and failed work (JSON, keyed by symbol).");

    public static final ConfigOption<String> TOPIC_RECOMMENDATIONS =
            key("kafka.topic.recommendations")
                    .stringType()
                    .defaultValue("barcast.recommendations")
                    .withDescription(
                            "Topic of trade recommendations (JSON, keyed by symbol); a superseded"
                                    + " one comes again with status superseded.");

    public static final ConfigOption<String> TOPIC_VALIDATIONS =
            key("kafka.topic.validations")
                    .stringType()
                    .defaultValue("barcast.validations")
                    .withDescription(
                            "Topic of forecast points checked against the actual bars (JSON,"
                                    + " keyed by symbol).");

    public static final ConfigOption<String> TOPIC_ALERTS =
            key("kafka.topic.alerts")
                    .stringType()
                    .defaultValue("barcast.alerts")
                    .withDescription("Topic of alerts for operators (JSON, keyed by symbol).");

    public static final ConfigOption<String> TOPIC_ACCURACY =
            key("kafka.topic.accuracy")
                    .stringType()
                    .defaultValue("barcast.accuracy")
                    .withDescription(
                            "Topic of rolling accuracy per symbol and horizon bucket (JSON, keyed"
                                    + " by symbol).");

    public static final ConfigOption<String> TOPIC_TRADE_OUTCOMES =
            key("kafka.topic.trade-outcomes")
                    .stringType()
                    .defaultValue("barcast.trade-outcomes")
                    .withDescription(
                            "Topic of recommended trades' outcomes: target hit, stop hit or"
                                    + " expired (JSON, keyed by symbol).");

    public static final ConfigOption<String> TOPIC_REPREDICTIONS =
            key("kafka.topic.repredictions")
                    .stringType()
                    .defaultValue("barcast.repredictions")
                    .withDescription(
                            "Topic of reprediction requests (JSON, keyed by symbol). The job"
                                    + " writes its own and reads the topic back; write"
                                    + " {\"symbol\":\"AAPL\"} to it to force one.");

    public static final ConfigOption<String> TOPIC_RETRAINS =
            key("kafka.topic.retrain-requests")
                    .stringType()
                    .defaultValue("barcast.retrain-requests")
                    .withDescription(
                            "Topic of retrain requests with their evidence (JSON, keyed by"
                                    + " symbol).");

    public static final ConfigOption<String> GROUP_ID =
            key("kafka.group-id")
                    .stringType()
                    .defaultValue("barcast")
                    .withDescription("Consumer group of the bars source.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            key("kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "Timeout of the exactly-once producers' transactions: a recovery"
                                    + " must finish within it or the last checkpoint's output is"
                                    + " aborted. At most the broker's transaction.max.timeout.ms"
                                    + " (15 min by default).");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            key("kafka.max-record-bytes")
                    .intType()
                    .defaultValue(1_000_000)
                    .withDescription(
                            "Largest record barcast writes to a topic: its key plus its JSON"
                                    + " value, in bytes. A larger record, or one that cannot be"
                                    + " written as JSON, goes to the dead-letters topic instead,"
                                    + " as a dead letter naming the topic, the size and the"
                                    + " limit. The default stays under Kafka's default 1 MiB"
                                    + " max.request.size and message.max.bytes; a higher value"
                                    + " needs the topics' max.message.bytes raised to match. The"
                                    + " producers' max.request.size follows this value.");

    public static final ConfigOption<Boolean> CREATE_TOPICS =
            key("kafka.create-topics")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Create missing topics at start-up.");

    public static final ConfigOption<Integer> PARTITIONS =
            key("kafka.partitions")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Partitions of topics barcast creates.");

    private KafkaOptions() {}
}
