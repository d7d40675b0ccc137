package io.barcast.jobs.cli;

import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.Databases;
import io.barcast.jobs.options.ApiOptions;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.PipelineOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code barcast api}: the query API service over the sink tables of {@code jdbc.*}, sending
 * control requests to {@code kafka.*}. Runs until Ctrl-C; any number may run side by side.
 */
@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description = {
            "Serves barcast's results over HTTP (the query API) until Ctrl-C.",
            "It reads the tables of jdbc.url and sends control requests to kafka.bootstrap-servers;",
            "it listens on bind-address (127.0.0.1 by default) and api.port (8090).",
            "Keys: barcast api-keys create --tier default|premium|admin --name NAME"
        })
final class ApiCommand implements Callable<Integer> {

    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
        BarcastConfig config = settings.resolve(Map.of());
        Databases.migrate(config);
        // a service logs every request (the demo does not: it would bury its progress lines)
        Configurator.setLevel("barcast.api.access", Level.INFO);
        CountDownLatch stopped = new CountDownLatch(1);
        try (ApiServer server = new ApiServer(settingsOf(config)).start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "api-stop"));
            System.out.println(
                    "barcast API on "
                            + server.url()
                            + " (docs: "
                            + server.url()
                            + "/api/v1/openapi.json)");
            stopped.await();
        }
        return 0;
    }

    /** The service's settings from the options; {@code jdbc.url} is required. */
    static ApiSettings settingsOf(BarcastConfig config) {
        Databases.of(config); // names jdbc.url when it is missing
        return new ApiSettings(
                config.get(JdbcOptions.URL),
                config.get(JdbcOptions.USER),
                config.get(JdbcOptions.PASSWORD),
                config.isSet(KafkaOptions.BOOTSTRAP_SERVERS)
                        ? config.get(KafkaOptions.BOOTSTRAP_SERVERS)
                        : null,
                config.get(KafkaOptions.TOPIC_REPREDICTIONS),
                config.get(PipelineOptions.BIND_ADDRESS).trim(),
                config.get(ApiOptions.PORT),
                Map.of(
                        Tier.DEFAULT, config.get(ApiOptions.LIMIT_DEFAULT),
                        Tier.PREMIUM, config.get(ApiOptions.LIMIT_PREMIUM),
                        Tier.ADMIN, config.get(ApiOptions.LIMIT_ADMIN)),
                config.get(ApiOptions.CORS_ORIGINS),
                Path.of(config.get(InferenceOptions.MODEL_DIR)),
                config.isSet(ApiOptions.FLINK_REST_URL)
                        ? config.get(ApiOptions.FLINK_REST_URL)
                        : null,
                config.get(ApiOptions.MAX_BODY_BYTES),
                config.get(ApiOptions.BATCH_MAX_SYMBOLS),
                config.get(ApiOptions.DB_POOL_SIZE),
                config.get(ApiOptions.STALE_AFTER));
    }
}
