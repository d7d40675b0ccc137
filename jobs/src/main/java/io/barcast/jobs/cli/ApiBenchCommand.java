package io.barcast.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.FlinkSettings;
import io.barcast.jobs.Models;
import io.barcast.jobs.PredictionJob;
import io.barcast.jobs.local.ApiSetup;
import io.barcast.jobs.local.EmbeddedKafka;
import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.RecoveryOptions;
import io.barcast.jobs.options.SourceOptions;
import io.barcast.jobs.options.SourceOptions.SourceKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code barcast api-bench}: the query API under load. Fills an embedded PostgreSQL with the real
 * pipeline's output for SYMBOLS simulated symbols, then drives the API with CONCURRENCY clients for
 * each scenario (one symbol's latest forecast, a batch of 50, predict for 50 windows) and prints
 * throughput and latency percentiles. Client and server share this machine's cores.
 */
@Command(
        name = "api-bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures the query API: requests/s and p50/p95/p99 latency of the latest forecast",
            "of one symbol, a batch of 50 symbols and predict for 50 windows, at a fixed",
            "concurrency, over tables the real pipeline filled for SYMBOLS simulated symbols."
        })
final class ApiBenchCommand implements Callable<Integer> {

    private static final int BATCH = 50;

    @Option(
            names = "--symbols",
            defaultValue = "500",
            description = "Symbols of data (default ${DEFAULT-VALUE}).")
    int symbols;

    @Option(
            names = "--concurrency",
            defaultValue = "8",
            description = "Clients sending at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--seconds",
            defaultValue = "15",
            description = "Seconds per scenario, after 3 s of warm-up (default ${DEFAULT-VALUE}).")
    int seconds;

    @Mixin Settings settings;

    private final ObjectMapper mapper = ApiServer.mapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("barcast-api-bench-");
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres"), 0);
                EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            BarcastConfig config =
                    settings.resolve(
                            Map.of(
                                    SourceOptions.SOURCE.key(),
                                    SourceKind.SIMULATOR.value(),
                                    SourceOptions.SIMULATOR_SYMBOLS.key(),
                                    Integer.toString(symbols),
                                    SourceOptions.SIMULATOR_BARS_PER_SYMBOL.key(),
                                    "90",
                                    SourceOptions.SIMULATOR_SPEED.key(),
                                    "0",
                                    SourceOptions.SIMULATOR_GLITCH_RATE.key(),
                                    "0",
                                    PipelineOptions.PROMETHEUS_ENABLED.key(),
                                    "false",
                                    JdbcOptions.URL.key(),
                                    postgres.jdbcUrl(),
                                    JdbcOptions.USER.key(),
                                    postgres.user(),
                                    JdbcOptions.PASSWORD.key(),
                                    postgres.password(),
                                    KafkaOptions.BOOTSTRAP_SERVERS.key(),
                                    kafka.bootstrapServers()));
            config =
                    config.with(
                            Map.of(
                                    RecoveryOptions.STATE_DIR.key(),
                                    work.resolve("state").toUri().toString()));
            System.out.printf(
                    "Filling the tables: %d symbols x 90 bars through the pipeline...%n", symbols);
            long start = System.nanoTime();
            PredictionJob.prepareExternalSystems(config);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            FlinkSettings.inProcess(config));
            PredictionJob.define(env, config);
            env.execute("barcast-api-bench-data");
            System.out.printf("  done in %.0f s%n", (System.nanoTime() - start) / 1e9);

            ApiSettings api =
                    ApiSetup.settingsOf(config)
                            .withPort(0)
                            .withLimits(
                                    Map.of(
                                            Tier.DEFAULT, Integer.MAX_VALUE,
                                            Tier.PREMIUM, Integer.MAX_VALUE,
                                            Tier.ADMIN, Integer.MAX_VALUE));
            try (ApiServer server = new ApiServer(api).start()) {
                String key =
                        new ApiKeys(server.context().db()).create("bench", Tier.ADMIN).secret();
                List<String> names = symbolsWithForecasts(server);
                String windows = windows(server, names.subList(0, Math.min(BATCH, names.size())));
                System.out.printf(
                        "API at %s: %d symbols with forecasts, %d clients, %d s a scenario%n%n",
                        server.url(), names.size(), concurrency, seconds);
                System.out.printf(
                        "%-34s %10s %8s %8s %8s %8s%n",
                        "scenario", "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors");
                String base = server.url();
                // the floor: HTTP and the server, no key, no database
                run("health (no key, no database)", () -> get(base, key, "/health"));
                run(
                        "latest forecast of one symbol",
                        () ->
                                get(
                                        base,
                                        key,
                                        "/api/v1/predictions/"
                                                + encode(
                                                        names.get(
                                                                ThreadLocalRandom.current()
                                                                        .nextInt(names.size())))));
                run(
                        "batch of 50 symbols (summary)",
                        () ->
                                post(
                                        base,
                                        key,
                                        "/api/v1/predictions/batch",
                                        batchBody(names, "summary")));
                run(
                        "batch of 50 symbols (full paths)",
                        () ->
                                post(
                                        base,
                                        key,
                                        "/api/v1/predictions/batch",
                                        batchBody(names, "full")));
                double predict =
                        run(
                                "predict, 50 windows",
                                () -> post(base, key, "/api/v1/predict", windows));
                // the model alone, on the same machine in the same run: what predict could reach
                int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
                double raw =
                        BenchCommand.rawThroughput(
                                Models.defaultBundle(config),
                                BATCH,
                                threads,
                                Duration.ofSeconds(seconds));
                System.out.printf(
                        "%npredict: %,.0f windows/s; raw ONNX Runtime (batch %d, %d threads): %,.0f"
                                + " sequences/s; ratio %.2f%n",
                        predict * BATCH, BATCH, threads, raw, predict * BATCH / raw);
            }
        } finally {
            deleteQuietly(work);
        }
        return 0;
    }

    /** Runs a scenario, prints its line and returns its requests a second. */
    private double run(String name, Supplier<HttpRequest> request) throws Exception {
        measure(request, Duration.ofSeconds(3));
        Result result = measure(request, Duration.ofSeconds(seconds));
        System.out.printf(
                "%-34s %10.0f %8.1f %8.1f %8.1f %8d%n",
                name,
                result.count / result.seconds,
                result.percentile(0.50),
                result.percentile(0.95),
                result.percentile(0.99),
                result.errors);
        return result.count / result.seconds;
    }

    private record Result(long count, long errors, double seconds, long[] nanos) {
        double percentile(double p) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            return nanos[Math.min(nanos.length - 1, (int) Math.ceil(p * nanos.length) - 1)] / 1e6;
        }
    }

    private Result measure(Supplier<HttpRequest> request, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            long[][] mine = {new long[1024]};
            int[] size = {0};
            Thread client =
                    new Thread(
                            () -> {
                                while (System.nanoTime() < deadline) {
                                    long t = System.nanoTime();
                                    try {
                                        HttpResponse<byte[]> response =
                                                http.send(
                                                        request.get(),
                                                        HttpResponse.BodyHandlers.ofByteArray());
                                        if (response.statusCode() >= 300) {
                                            errors.incrementAndGet();
                                            continue;
                                        }
                                    } catch (Exception e) {
                                        errors.incrementAndGet();
                                        continue;
                                    }
                                    if (size[0] == mine[0].length) {
                                        mine[0] = Arrays.copyOf(mine[0], size[0] * 2);
                                    }
                                    mine[0][size[0]++] = System.nanoTime() - t;
                                }
                                synchronized (perThread) {
                                    perThread.add(Arrays.copyOf(mine[0], size[0]));
                                }
                            });
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length, errors.get(), elapsed, all);
    }

    private static HttpRequest get(String base, String key, String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("X-API-Key", key)
                .GET()
                .build();
    }

    private static HttpRequest post(String base, String key, String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("X-API-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String batchBody(List<String> names, String detail) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode list = body.putArray("symbols");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(Math.max(1, names.size() - BATCH));
        for (String name : names.subList(from, Math.min(names.size(), from + BATCH))) {
            list.add(name);
        }
        body.put("detail", detail);
        return body.toString();
    }

    private static List<String> symbolsWithForecasts(ApiServer server) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = server.context().db().getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT DISTINCT symbol FROM predictions ORDER BY 1");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        if (names.size() < BATCH) {
            throw new IllegalStateException(
                    "the pipeline made forecasts for only " + names.size() + " symbols");
        }
        return names;
    }

    /** A predict body: the newest 90 bars of each symbol, from the bars table. */
    private String windows(ApiServer server, List<String> names) throws Exception {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode windows = body.putArray("windows");
        try (Connection c = server.context().db().getConnection();
                PreparedStatement select =
                        c.prepareStatement(
                                "SELECT bar_time, open, high, low, close, volume FROM (SELECT *"
                                        + " FROM bars WHERE symbol = ? ORDER BY bar_time DESC"
                                        + " LIMIT 90) newest ORDER BY bar_time")) {
            for (String name : names) {
                ObjectNode window = windows.addObject();
                window.put("symbol", name);
                ArrayNode bars = window.putArray("bars");
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ObjectNode bar = bars.addObject();
                        bar.put("time", rows.getTimestamp(1).toInstant().toString());
                        bar.put("open", rows.getDouble(2));
                        bar.put("high", rows.getDouble(3));
                        bar.put("low", rows.getDouble(4));
                        bar.put("close", rows.getDouble(5));
                        bar.put("volume", rows.getDouble(6));
                    }
                }
            }
        }
        return body.toString();
    }

    private static String encode(String symbol) {
        return java.net.URLEncoder.encode(symbol, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileUtils.deleteDirectory(dir.toFile());
        } catch (Exception e) {
            System.err.println("Could not delete " + dir + ": " + e);
        }
    }
}
