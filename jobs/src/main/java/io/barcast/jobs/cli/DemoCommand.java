package io.barcast.jobs.cli;

import io.barcast.jobs.local.ApiSetup;
import io.barcast.jobs.local.BindAddress;
import io.barcast.jobs.local.DemoFolder;
import io.barcast.jobs.local.EmbeddedKafka;
import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.local.LocalRunner;
import io.barcast.jobs.options.ApiOptions;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.RecoveryOptions;
import io.barcast.jobs.options.SourceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code barcast demo}: the whole pipeline on embedded services and simulated bars. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline on embedded services and a simulated market.",
            "Starts embedded PostgreSQL and Kafka (unless jdbc.url or",
            "kafka.bootstrap-servers are set), a local Flink cluster with its web UI,",
            "and the job on the simulator (unless source is set).",
            "All of it listens on 127.0.0.1 unless bind-address is set. Its temporary",
            "folder and database go when it stops; a demo that was killed is cleaned",
            "up by the next one."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--symbols", description = "Symbols to simulate (default 20).")
    Integer symbols;

    @Option(
            names = "--speed",
            description =
                    "Market time per wall-clock time (default 14400: 4 market hours a second).")
    Double speed;

    @Option(
            names = "--duration",
            converter = Settings.DurationConverter.class,
            description =
                    "Run this long (e.g. 90s), then stop with a savepoint and exit 0. Default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--seed", description = "Seed of the simulated market (default 42).")
    Long seed;

    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        if (symbols != null) {
            flags.put(SourceOptions.SIMULATOR_SYMBOLS.key(), symbols.toString());
        }
        if (speed != null) {
            flags.put(SourceOptions.SIMULATOR_SPEED.key(), speed.toString());
        }
        if (seed != null) {
            flags.put(SourceOptions.SIMULATOR_SEED.key(), seed.toString());
        }
        // a live feed is not perfect, and neither is the demo's: a few broken bars show the
        // dead letters at work
        flags.put(SourceOptions.SIMULATOR_GLITCH_RATE.key(), "0.001");
        BarcastConfig config = settings.resolve(flags);

        DemoFolder folder = DemoFolder.create(System.out);
        Path workDir = folder.path();
        AtomicReference<LocalPostgres> postgres = new AtomicReference<>();
        // What must not outlive the demo: a PostgreSQL server is a process of its own. This runs
        // when the demo ends, and from a shutdown hook when the JVM exits under it (a second
        // Ctrl-C, a signal before the job runs); Kafka lives in this JVM and goes with it.
        Runnable cleanUp =
                () -> {
                    LocalPostgres server = postgres.get();
                    if (server != null) {
                        server.close();
                    }
                    folder.close();
                };
        Thread cleanUpOnExit = new Thread(cleanUp, "barcast-demo-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUpOnExit);
        Map<String, String> embedded = new LinkedHashMap<>();
        if (!config.isSet(RecoveryOptions.STATE_DIR)) {
            embedded.put(RecoveryOptions.STATE_DIR.key(), workDir.resolve("state").toString());
        }
        if (!config.isSet(ApiOptions.EXPORTS_DIR)) {
            // the demo's exports go with its folder
            embedded.put(ApiOptions.EXPORTS_DIR.key(), workDir.resolve("exports").toString());
        }
        EmbeddedKafka kafka = null;
        try {
            if (!config.isSet(JdbcOptions.URL)) {
                System.out.println("Starting embedded PostgreSQL...");
                postgres.set(LocalPostgres.start(folder.postgresDir(), 0));
                embedded.put(JdbcOptions.URL.key(), postgres.get().jdbcUrl());
                embedded.put(JdbcOptions.USER.key(), postgres.get().user());
                embedded.put(JdbcOptions.PASSWORD.key(), postgres.get().password());
            }
            if (!config.isSet(KafkaOptions.BOOTSTRAP_SERVERS)) {
                System.out.println("Starting embedded Kafka (KRaft)...");
                kafka = EmbeddedKafka.start(workDir.resolve("kafka"), BindAddress.of(config), 0);
                embedded.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
            }
            System.out.println("Starting the job on a local Flink cluster...");
            BarcastConfig running = config.with(embedded);
            return new LocalRunner(running, System.out)
                    .withApi(ApiSetup.settingsOf(running), running.isSet(ApiOptions.PORT))
                    .run(duration);
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            cleanUp.run();
            System.out.println(
                    "Deleted the demo's folder "
                            + workDir
                            + " (its data and its final savepoint): each demo starts afresh.");
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUpOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway, and finds nothing left to do
            }
        }
    }
}
