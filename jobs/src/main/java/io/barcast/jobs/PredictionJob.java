package io.barcast.jobs;

import io.barcast.connectors.kafka.KafkaTopics;
import io.barcast.core.IncomingBar;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.SourceOptions.SourceKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry point for {@code flink run}: {@code --config FILE} (YAML) and any number of
 * {@code --set key=value}; the database password may come from {@code BARCAST_JDBC_PASSWORD}
 * instead. It prepares the database and topics, then submits the topology.
 */
public final class PredictionJob {

    public static final String JOB_NAME = "barcast";

    private PredictionJob() {}

    public static void main(String[] args) throws Exception {
        BarcastConfig config =
                BarcastConfig.of(
                        BarcastConfig.withSecretsFrom(System.getenv(), settingsFromArgs(args)));
        prepareExternalSystems(config);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.of(config));
        define(env, config);
        env.execute(JOB_NAME);
    }

    /** Defines the production topology (configured source, PostgreSQL and Kafka sinks) on env. */
    public static void define(StreamExecutionEnvironment env, BarcastConfig config) {
        Source<IncomingBar, ?, ?> bars = BarSources.create(config);
        PredictionPipeline.define(
                env,
                bars,
                BarSources.repredictions(config, bars.getBoundedness()),
                new ProductionSinks(config),
                PipelineSettings.from(config));
    }

    /** Schema migrations and missing topics, before the job starts writing. */
    public static void prepareExternalSystems(BarcastConfig config) throws Exception {
        Databases.migrate(config);
        if (config.get(KafkaOptions.CREATE_TOPICS)) {
            KafkaTopics.ensure(
                    BarSources.requireKafka(config),
                    config.get(KafkaOptions.PARTITIONS),
                    topics(config));
        }
    }

    /** The topics the job writes (and the bars topic when it reads bars from Kafka). */
    public static List<String> topics(BarcastConfig config) {
        List<String> topics = new ArrayList<>();
        topics.add(config.get(KafkaOptions.TOPIC_PREDICTIONS));
        topics.add(config.get(KafkaOptions.TOPIC_DEAD_LETTERS));
        topics.add(config.get(KafkaOptions.TOPIC_RECOMMENDATIONS));
        topics.add(config.get(KafkaOptions.TOPIC_ALERTS));
        topics.add(config.get(KafkaOptions.TOPIC_VALIDATIONS));
        topics.add(config.get(KafkaOptions.TOPIC_ACCURACY));
        topics.add(config.get(KafkaOptions.TOPIC_TRADE_OUTCOMES));
        topics.add(config.get(KafkaOptions.TOPIC_REPREDICTIONS));
        topics.add(config.get(KafkaOptions.TOPIC_RETRAINS));
        if (config.source() == SourceKind.KAFKA) {
            topics.add(config.get(KafkaOptions.TOPIC_BARS));
        }
        return topics;
    }

    /** {@code --config FILE} then {@code --set key=value} pairs, later ones winning. */
    public static Map<String, String> settingsFromArgs(String[] args) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--config") || arg.equals("--set")) && i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            if (arg.equals("--config")) {
                settings.putAll(BarcastConfig.readYaml(Path.of(args[++i])));
            } else if (arg.equals("--set")) {
                String pair = args[++i];
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("--set takes key=value, got: " + pair);
                }
                settings.put(pair.substring(0, equals), pair.substring(equals + 1));
            } else {
                throw new IllegalArgumentException(
                        "unknown argument '" + arg + "' (expected --config FILE or --set k=v)");
            }
        }
        return settings;
    }
}
