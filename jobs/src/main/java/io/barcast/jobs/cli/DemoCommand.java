package io.barcast.jobs.cli;

import io.barcast.jobs.local.EmbeddedKafka;
import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.local.LocalRunner;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.RecoveryOptions;
import io.barcast.jobs.options.SourceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
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
            "and the job on the simulator (unless source is set)."
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
                    "Run this long (e.g. 90s), then drain, stop and exit 0. Default: until Ctrl-C.")
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

        Path workDir = Files.createTempDirectory("barcast-demo-");
        Map<String, String> embedded = new LinkedHashMap<>();
        if (!config.isSet(RecoveryOptions.STATE_DIR)) {
            embedded.put(RecoveryOptions.STATE_DIR.key(), workDir.resolve("state").toString());
        }
        LocalPostgres postgres = null;
        EmbeddedKafka kafka = null;
        try {
            if (!config.isSet(JdbcOptions.URL)) {
                System.out.println("Starting embedded PostgreSQL...");
                postgres = LocalPostgres.start(workDir.resolve("postgres"), 0);
                embedded.put(JdbcOptions.URL.key(), postgres.jdbcUrl());
                embedded.put(JdbcOptions.USER.key(), postgres.user());
                embedded.put(JdbcOptions.PASSWORD.key(), postgres.password());
            }
            if (!config.isSet(KafkaOptions.BOOTSTRAP_SERVERS)) {
                System.out.println("Starting embedded Kafka (KRaft)...");
                kafka = EmbeddedKafka.start(workDir.resolve("kafka"), 0);
                embedded.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
            }
            System.out.println("Starting the job on a local Flink cluster...");
            return new LocalRunner(config.with(embedded), System.out).run(duration);
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
