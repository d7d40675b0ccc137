package io.barcast.jobs.cli;

import io.barcast.connectors.replay.BarFileReader;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.core.backtest.BacktestReport;
import io.barcast.core.backtest.ChartData;
import io.barcast.core.backtest.ReportWriter;
import io.barcast.core.backtest.RunFacts;
import io.barcast.core.json.BarFormats;
import io.barcast.core.model.ModelBundle;
import io.barcast.functions.models.ModelRegistry;
import io.barcast.functions.models.ModelVersion;
import io.barcast.jobs.BarSources;
import io.barcast.jobs.Databases;
import io.barcast.jobs.Failures;
import io.barcast.jobs.FlinkSettings;
import io.barcast.jobs.Models;
import io.barcast.jobs.PipelineSettings;
import io.barcast.jobs.PredictionPipeline;
import io.barcast.jobs.ProductionSinks;
import io.barcast.jobs.local.BindAddress;
import io.barcast.jobs.local.FreePorts;
import io.barcast.jobs.local.JobHealth;
import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.InvalidOptionException;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.RecoveryOptions;
import io.barcast.jobs.options.SourceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code barcast backtest}: the production topology ({@link PredictionPipeline#define}) run bounded
 * over historical bars into PostgreSQL, then a report of how its forecasts and trades turned out,
 * read back from the tables the job wrote.
 */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Replays historical bars through the pipeline and reports how it did.",
            "Runs the same job as 'run' on a local Flink cluster, bounded and as fast as"
                    + " possible, into PostgreSQL (an embedded one unless jdbc.url is set; no"
                    + " Kafka), then writes report.md, report.json and report.html (with charts)"
                    + " into --out."
        })
final class BacktestCommand implements Callable<Integer> {

    /** Forecasts drawn per symbol: enough to see the paths, few enough to tell them apart. */
    static final int CHART_FORECASTS_PER_SYMBOL = 12;

    @Option(
            names = "--bars",
            required = true,
            paramLabel = "FILE|DIR",
            description = "Bar file or directory: CSV, JSON lines or saved Polygon aggregates.")
    Path bars;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model folder: model.onnx + model.json, or default/ and symbol folders.")
    Path model;

    @Option(
            names = "--from",
            paramLabel = "ISO",
            description = "Leave out bars before this (2023-03-14 or 2023-03-14T12:00:00Z).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "ISO",
            description = "Leave out bars at or after this (exclusive).")
    String to;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Where report.md, report.json and report.html are written.")
    Path out;

    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
        long start = time("--from", from, Long.MIN_VALUE);
        long end = time("--to", to, Long.MAX_VALUE);
        if (end <= start) {
            throw new InvalidOptionException("--to", to + " is not after --from " + from);
        }
        requireModelFolder();
        Path work = Files.createTempDirectory("barcast-backtest-");
        try {
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put(SourceOptions.SOURCE.key(), "replay");
            flags.put(SourceOptions.REPLAY_PATH.key(), bars.toString());
            // the source leaves out what lies outside [--from, --to): the files are read as they
            // are
            if (from != null) {
                flags.put(SourceOptions.REPLAY_FROM.key(), Long.toString(start));
            }
            if (to != null) {
                flags.put(SourceOptions.REPLAY_TO.key(), Long.toString(end));
            }
            flags.put(SourceOptions.REPLAY_SPEED.key(), "0");
            flags.put(SourceOptions.REPLAY_BOUNDED.key(), "true");
            flags.put(InferenceOptions.MODEL_DIR.key(), model.toString());
            flags.put(InferenceOptions.MODEL_RELOAD_INTERVAL.key(), "0");
            // a run of minutes needs neither a metrics endpoint nor checkpoints kept after it
            flags.put(PipelineOptions.PROMETHEUS_ENABLED.key(), "false");
            flags.put(RecoveryOptions.STATE_DIR.key(), work.resolve("state").toUri().toString());
            BarcastConfig config = settings.resolve(flags);
            Replay replay =
                    Replay.scan(bars, start, end, config.get(SourceOptions.REPLAY_MAX_LINE_BYTES));
            ModelBundle defaultModel = asModelOption(() -> Models.defaultBundle(config));
            PipelineSettings pipeline = asModelOption(() -> PipelineSettings.from(config));
            Files.createDirectories(out);

            LocalPostgres postgres = null;
            try {
                BarcastConfig run = config;
                if (!config.isSet(JdbcOptions.URL)) {
                    System.err.println("Starting embedded PostgreSQL...");
                    postgres = LocalPostgres.start(work.resolve("postgres"), 0);
                    run =
                            config.with(
                                    Map.of(
                                            JdbcOptions.URL.key(), postgres.jdbcUrl(),
                                            JdbcOptions.USER.key(), postgres.user(),
                                            JdbcOptions.PASSWORD.key(), postgres.password()));
                }
                Databases.migrate(run);
                RunScope scope =
                        postgres != null
                                ? RunScope.wholeDatabase(replay)
                                : RunScope.of(replay, pipeline.initialCatalog());
                Tables tables = new Tables(run, scope);
                System.err.printf(
                        "Replaying %,d bars of %s (%s to %s) through %s %s...%n",
                        replay.count(),
                        String.join(", ", replay.symbols()),
                        Instant.ofEpochMilli(replay.first()),
                        Instant.ofEpochMilli(replay.last()),
                        defaultModel.spec().name(),
                        defaultModel.spec().version());
                if (!runJob(run, pipeline, tables, replay.count())) {
                    return 1;
                }
                RunFacts facts =
                        new RunFacts(
                                defaultModel.spec().name(),
                                versions(defaultModel, pipeline.initialCatalog()),
                                replay.symbols(),
                                replay.first(),
                                replay.last(),
                                pipeline.tracker().interval(),
                                replay.count(),
                                tables.forecasts());
                BacktestReport report =
                        BacktestReport.compute(facts, tables.validations(), tables.outcomes());
                writeReport(report, tables.charts(replay.symbols()));
                return 0;
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
            }
        } finally {
            FileUtils.deleteDirectoryQuietly(work.toFile());
        }
    }

    /**
     * Runs the job to its end on the cluster of this JVM (or the test's), printing progress.
     *
     * @return whether it finished
     */
    private static boolean runJob(
            BarcastConfig config, PipelineSettings pipeline, Tables tables, long barsToReplay) {
        Configuration flink = FlinkSettings.inProcess(config);
        if (!config.flinkSettings().containsKey("rest.port")) {
            // a port of its own, where the progress line asks how often the job restarted
            flink.setString("rest.port", Integer.toString(FreePorts.onLoopback()));
        }
        flink.setString("metrics.fetcher.update-interval", "1 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        PredictionPipeline.define(
                env, BarSources.create(config), ProductionSinks.databaseOnly(config), pipeline);
        long startNanos = System.nanoTime();
        AtomicReference<JobHealth> health = new AtomicReference<>();
        ScheduledExecutorService progress =
                Executors.newSingleThreadScheduledExecutor(
                        task -> {
                            Thread thread = new Thread(task, "backtest-progress");
                            thread.setDaemon(true);
                            return thread;
                        });
        progress.scheduleAtFixedRate(
                () -> tables.printProgress(startNanos, barsToReplay, health.get()),
                1,
                1,
                TimeUnit.SECONDS);
        try {
            JobClient job = env.executeAsync("barcast-backtest");
            health.set(
                    new JobHealth(
                            BindAddress.parse(flink.get(RestOptions.BIND_ADDRESS))
                                    .url(flink.get(RestOptions.PORT), ""),
                            job.getJobID().toString()));
            job.getJobExecutionResult().get();
        } catch (Exception e) {
            System.err.println("barcast: the backtest job failed: " + Failures.rootMessage(e));
            return false;
        } finally {
            progress.shutdownNow();
        }
        tables.printProgress(startNanos, barsToReplay, null);
        return true;
    }

    /**
     * The default model's version, and each symbol folder's beside it when {@code --model} has
     * some: the report then says which model served which symbol.
     */
    private static String versions(ModelBundle defaultModel, List<ModelVersion> catalog) {
        List<String> own =
                catalog.stream()
                        .filter(m -> !m.folder().equals(ModelRegistry.DEFAULT))
                        .map(m -> m.name() + " " + m.version() + " (" + m.folder() + ")")
                        .sorted()
                        .toList();
        String version = defaultModel.spec().version();
        return own.isEmpty() ? version : version + " (default); " + String.join("; ", own);
    }

    private void writeReport(BacktestReport report, List<ChartData> charts) throws IOException {
        String markdown = ReportWriter.markdown(report);
        Files.writeString(out.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve("report.json"), ReportWriter.json(report), StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve("report.html"),
                ReportWriter.html(report, charts),
                StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println(
                "Report written to " + out.toAbsolutePath() + ": report.md, .json, .html");
    }

    /** An epoch-ms time of a --from or --to value, or {@code unset} when it is not given. */
    private static long time(String option, String value, long unset) {
        if (value == null) {
            return unset;
        }
        try {
            return BarFormats.parseTime(value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(
                    option,
                    "'"
                            + value
                            + "' is neither a date (2023-03-14) nor an instant"
                            + " (2023-03-14T12:00:00Z)");
        }
    }

    /**
     * The job would fall back to the model bundled in the jar for a folder without a model; a
     * backtest of a model that is not the one asked for would be a wrong report.
     */
    private void requireModelFolder() {
        if (!Files.isDirectory(model)) {
            throw new InvalidOptionException("--model", "no model folder at " + model);
        }
        if (!Files.isRegularFile(model.resolve(ModelBundle.SPEC_FILE))
                && !Files.isRegularFile(
                        model.resolve(ModelRegistry.DEFAULT).resolve(ModelBundle.SPEC_FILE))) {
            throw new InvalidOptionException(
                    "--model",
                    "no "
                            + ModelBundle.SPEC_FILE
                            + " in "
                            + model
                            + " nor in "
                            + model.resolve(ModelRegistry.DEFAULT));
        }
    }

    /** Reports a model that cannot be loaded against --model, the option the user gave. */
    private static <T> T asModelOption(Callable<T> load) throws Exception {
        try {
            return load.call();
        } catch (InvalidOptionException e) {
            if (!e.option().equals(InferenceOptions.MODEL_DIR.key())) {
                throw e;
            }
            String prefix = "option '" + e.option() + "': ";
            String problem = e.getMessage();
            throw new InvalidOptionException(
                    "--model",
                    problem.startsWith(prefix) ? problem.substring(prefix.length()) : problem);
        }
    }

    /**
     * What a backtest replays, found in one streaming pass over the files: how many bars lie in
     * [start, end), of which symbols, from when to when. Lines that cannot be read are not counted
     * (they have no time to place them by; the job sends them to the dead letters).
     */
    private record Replay(long count, List<String> symbols, long first, long last) {

        static Replay scan(Path path, long start, long end, int maxLineBytes) {
            TreeSet<String> symbols = new TreeSet<>();
            long[] count = {0};
            long[] first = {Long.MAX_VALUE};
            long[] last = {Long.MIN_VALUE};
            try {
                BarFileReader reader = new BarFileReader(maxLineBytes);
                for (String file : BarFileReader.expand(path)) {
                    reader.read(
                            Path.of(file),
                            incoming -> {
                                if (!incoming.isParsed()) {
                                    return;
                                }
                                long time = incoming.bar().time();
                                if (time >= start && time < end) {
                                    count[0]++;
                                    symbols.add(incoming.bar().symbol());
                                    first[0] = Math.min(first[0], time);
                                    last[0] = Math.max(last[0], time);
                                }
                            });
                }
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new InvalidOptionException("--bars", e.getMessage());
            }
            if (count[0] == 0) {
                throw new InvalidOptionException(
                        "--bars",
                        "no bars in "
                                + path
                                + (start == Long.MIN_VALUE && end == Long.MAX_VALUE
                                        ? ""
                                        : " between --from and --to"));
            }
            return new Replay(count[0], List.copyOf(symbols), first[0], last[0]);
        }
    }

    /**
     * Which rows of the database belong to this run. The embedded database holds nothing else; a
     * user's database may hold other runs and the live job's rows, so there only the forecasts of
     * the replayed symbols, as of a replayed bar, by a model of the run count. Rows are keyed
     * deterministically, so a rerun over the same bars with the same model leaves the same rows.
     */
    private record RunScope(
            boolean wholeDatabase,
            String[] symbols,
            Timestamp first,
            Timestamp last,
            String[] modelVersions) {

        static RunScope wholeDatabase(Replay replay) {
            return new RunScope(
                    true,
                    replay.symbols().toArray(String[]::new),
                    new Timestamp(replay.first()),
                    new Timestamp(replay.last()),
                    new String[0]);
        }

        static RunScope of(Replay replay, List<ModelVersion> catalog) {
            return new RunScope(
                    false,
                    replay.symbols().toArray(String[]::new),
                    new Timestamp(replay.first()),
                    new Timestamp(replay.last()),
                    catalog.stream()
                            .map(m -> m.spec().version())
                            .distinct()
                            .toArray(String[]::new));
        }

        /** {@code FROM table} with a WHERE clause on its predictions; bind with {@link #bind}. */
        String from(String table) {
            if (wholeDatabase) {
                return " FROM " + table + " t";
            }
            String join =
                    table.equals("predictions")
                            ? " FROM predictions t"
                            : " FROM " + table + " t JOIN predictions p USING (prediction_id)";
            String p = table.equals("predictions") ? "t" : "p";
            return join
                    + " WHERE "
                    + p
                    + ".symbol = ANY(?) AND "
                    + p
                    + ".as_of BETWEEN ? AND ? AND "
                    + p
                    + ".model_version = ANY(?)";
        }

        void bind(Connection connection, PreparedStatement statement) throws SQLException {
            if (wholeDatabase) {
                return;
            }
            statement.setArray(1, connection.createArrayOf("text", symbols));
            statement.setTimestamp(2, first);
            statement.setTimestamp(3, last);
            statement.setArray(4, connection.createArrayOf("text", modelVersions));
        }
    }

    /** The run's rows in PostgreSQL: progress while it runs, the report's inputs after. */
    private static final class Tables {

        private final BarcastConfig config;
        private final RunScope scope;

        Tables(BarcastConfig config, RunScope scope) {
            this.config = config;
            this.scope = scope;
        }

        /** One line on stderr: what has arrived in the tables, not what operators think. */
        /** One progress line; with the job's health, its restarts and their last cause. */
        void printProgress(long startNanos, long barsToReplay, JobHealth health) {
            long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
            String failures = health == null ? "" : health.read().describe();
            try {
                System.err.printf(
                        "[%02d:%02d] bars %,d of %,d | forecasts %,d%s%n",
                        seconds / 60, seconds % 60, bars(), barsToReplay, forecasts(), failures);
            } catch (SQLException e) {
                System.err.println("(progress unavailable: " + e.getMessage() + ")" + failures);
            }
        }

        long bars() throws SQLException {
            try (Connection connection = connect();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT count(*) FROM bars WHERE symbol = ANY(?)"
                                            + " AND bar_time BETWEEN ? AND ?")) {
                bindSpan(connection, statement);
                return single(statement);
            }
        }

        long forecasts() throws SQLException {
            try (Connection connection = connect();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT count(*)" + scope.from("predictions"))) {
                scope.bind(connection, statement);
                return single(statement);
            }
        }

        List<Validation> validations() throws SQLException {
            List<Validation> validations = new ArrayList<>();
            try (Connection connection = connect();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT t.validation_id, t.prediction_id, t.symbol, t.as_of,"
                                            + " t.target_time, t.horizon_bars, t.last_close,"
                                            + " t.predicted, t.actual, t.error_percent,"
                                            + " t.naive_error_percent, t.direction_right,"
                                            + " t.inside_band, t.band_lower, t.band_upper"
                                            + scope.from("validations")
                                            + " ORDER BY t.symbol, t.as_of, t.horizon_bars")) {
                scope.bind(connection, statement);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        // null when the price did not move
                        Boolean right = row.getObject(12, Boolean.class);
                        validations.add(
                                new Validation(
                                        row.getString(1),
                                        row.getString(2),
                                        row.getString(3),
                                        row.getTimestamp(4).getTime(),
                                        row.getTimestamp(5).getTime(),
                                        row.getInt(6),
                                        row.getDouble(7),
                                        row.getDouble(8),
                                        row.getDouble(9),
                                        row.getDouble(10),
                                        row.getDouble(11),
                                        right,
                                        row.getBoolean(13),
                                        row.getDouble(14),
                                        row.getDouble(15)));
                    }
                }
            }
            return validations;
        }

        List<TradeOutcome> outcomes() throws SQLException {
            List<TradeOutcome> outcomes = new ArrayList<>();
            try (Connection connection = connect();
                    PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT t.recommendation_id, t.prediction_id, t.symbol, t.side,"
                                            + " t.entry_time, t.entry_price, t.target_price,"
                                            + " t.stop_loss, t.outcome, t.exit_time, t.exit_price,"
                                            + " t.realized_return_percent, t.bars_held"
                                            + scope.from("trade_outcomes")
                                            + " ORDER BY t.symbol, t.entry_time, t.side")) {
                scope.bind(connection, statement);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        outcomes.add(
                                new TradeOutcome(
                                        row.getString(1),
                                        row.getString(2),
                                        row.getString(3),
                                        row.getString(4),
                                        row.getTimestamp(5).getTime(),
                                        row.getDouble(6),
                                        row.getDouble(7),
                                        row.getDouble(8),
                                        row.getString(9),
                                        row.getTimestamp(10).getTime(),
                                        row.getDouble(11),
                                        row.getDouble(12),
                                        row.getInt(13)));
                    }
                }
            }
            return outcomes;
        }

        /** Per symbol its bars' closes and a sample of its forecasts, evenly spaced in time. */
        List<ChartData> charts(List<String> symbols) throws SQLException {
            List<ChartData> charts = new ArrayList<>();
            try (Connection connection = connect()) {
                for (String symbol : symbols) {
                    List<Long> times = new ArrayList<>();
                    List<Double> closes = new ArrayList<>();
                    try (PreparedStatement statement =
                            connection.prepareStatement(
                                    "SELECT bar_time, close FROM bars WHERE symbol = ANY(?)"
                                            + " AND bar_time BETWEEN ? AND ? ORDER BY bar_time")) {
                        statement.setArray(
                                1, connection.createArrayOf("text", new String[] {symbol}));
                        statement.setTimestamp(2, scope.first());
                        statement.setTimestamp(3, scope.last());
                        try (ResultSet row = statement.executeQuery()) {
                            while (row.next()) {
                                times.add(row.getTimestamp(1).getTime());
                                closes.add(row.getDouble(2));
                            }
                        }
                    }
                    charts.add(
                            new ChartData(
                                    symbol,
                                    times.stream().mapToLong(Long::longValue).toArray(),
                                    closes.stream().mapToDouble(Double::doubleValue).toArray(),
                                    sampleForecasts(connection, symbol)));
                }
            }
            return charts;
        }

        private List<ChartData.Forecast> sampleForecasts(Connection connection, String symbol)
                throws SQLException {
            // newest forecast per as-of bar (a revised bar forecasts again), oldest first
            TreeMap<Long, String> idByAsOf = new TreeMap<>();
            try (PreparedStatement statement =
                    connection.prepareStatement(
                            "SELECT t.as_of, t.prediction_id::text"
                                    + scope.from("predictions")
                                    + (scope.wholeDatabase() ? " WHERE" : " AND")
                                    + " t.symbol = ? ORDER BY t.as_of, t.predicted_at")) {
                scope.bind(connection, statement);
                statement.setString(scope.wholeDatabase() ? 1 : 5, symbol);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        idByAsOf.put(row.getTimestamp(1).getTime(), row.getString(2));
                    }
                }
            }
            List<String> ids = new ArrayList<>(idByAsOf.values());
            List<String> sample = new ArrayList<>();
            int n = Math.min(CHART_FORECASTS_PER_SYMBOL, ids.size());
            for (int i = 0; i < n; i++) {
                // the first and the last forecast, and the others evenly between
                sample.add(ids.get(n == 1 ? 0 : (int) ((long) i * (ids.size() - 1) / (n - 1))));
            }
            List<ChartData.Forecast> forecasts = new ArrayList<>();
            try (PreparedStatement statement =
                    connection.prepareStatement(
                            "SELECT as_of, path_times, path_prices, path_lower, path_upper"
                                    + " FROM predictions WHERE prediction_id = ANY(?::uuid[])"
                                    + " ORDER BY as_of")) {
                statement.setArray(1, connection.createArrayOf("text", sample.toArray()));
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        double[] prices = doubles(row.getArray(3));
                        // forecasts written before bands existed draw as a bare line
                        double[] lower =
                                row.getArray(4) == null ? prices : doubles(row.getArray(4));
                        double[] upper =
                                row.getArray(5) == null ? prices : doubles(row.getArray(5));
                        forecasts.add(
                                new ChartData.Forecast(
                                        row.getTimestamp(1).getTime(),
                                        times(row.getArray(2)),
                                        prices,
                                        lower,
                                        upper));
                    }
                }
            }
            return forecasts;
        }

        private static long[] times(Array array) throws SQLException {
            Object[] values = (Object[]) array.getArray();
            long[] times = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                times[i] = ((Timestamp) values[i]).getTime();
            }
            return times;
        }

        private static double[] doubles(Array array) throws SQLException {
            Object[] values = (Object[]) array.getArray();
            double[] doubles = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                doubles[i] = ((Number) values[i]).doubleValue();
            }
            return doubles;
        }

        private void bindSpan(Connection connection, PreparedStatement statement)
                throws SQLException {
            statement.setArray(1, connection.createArrayOf("text", scope.symbols()));
            statement.setTimestamp(2, scope.first());
            statement.setTimestamp(3, scope.last());
        }

        private static long single(PreparedStatement statement) throws SQLException {
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection(
                    config.get(JdbcOptions.URL),
                    config.get(JdbcOptions.USER),
                    config.get(JdbcOptions.PASSWORD));
        }
    }
}
