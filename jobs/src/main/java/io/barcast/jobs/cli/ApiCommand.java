package io.barcast.jobs.cli;

import io.barcast.api.ApiServer;
import io.barcast.jobs.Databases;
import io.barcast.jobs.local.ApiSetup;
import io.barcast.jobs.options.BarcastConfig;
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
        BarcastConfig config = settings.resolveWithoutSource(Map.of());
        Databases.migrate(config);
        // a service logs every request (the demo does not: it would bury its progress lines)
        Configurator.setLevel("barcast.api.access", Level.INFO);
        CountDownLatch stopped = new CountDownLatch(1);
        try (ApiServer server = new ApiServer(ApiSetup.settingsOf(config)).start()) {
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
}
