package io.barcast.jobs.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.barcast.connectors.polygon.PolygonSourceOptions;
import io.barcast.core.Secrets;
import io.barcast.jobs.Failures;
import io.barcast.jobs.ForecastSettings;
import io.barcast.jobs.options.SourceOptions.SourceKind;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * barcast's settings: every option of the {@code *Options} classes, read from a YAML file and
 * {@code --set key=value} pairs. Unknown keys and unparsable values stop start-up with a message
 * naming the option. Keys under {@code flink.} go to Flink unchanged (without the prefix).
 */
public final class BarcastConfig {

    /** Every option barcast knows, by key. */
    public static final Map<String, ConfigOption<?>> OPTIONS = collect();

    /** Options whose values are never shown. */
    public static final List<String> SECRETS =
            List.of(JdbcOptions.PASSWORD.key(), PolygonSourceOptions.API_KEY.key());

    private static final String FLINK_PREFIX = "flink.";

    private final Configuration values;
    private final Map<String, String> flink;

    private BarcastConfig(Configuration values, Map<String, String> flink) {
        this.values = values;
        this.flink = flink;
    }

    /** Reads and checks settings; later entries win. */
    public static BarcastConfig of(Map<String, String> settings) {
        Configuration values = new Configuration();
        Map<String, String> flink = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            String key = entry.getKey().trim();
            if (key.startsWith(FLINK_PREFIX)) {
                flink.put(key.substring(FLINK_PREFIX.length()), entry.getValue());
            } else if (OPTIONS.containsKey(key)) {
                values.setString(key, entry.getValue());
            } else if (key.equals("checkpoint.dir")) {
                throw new InvalidOptionException(
                        key,
                        "was replaced by state.dir: checkpoints now go to <state.dir>/checkpoints"
                                + " and savepoints to <state.dir>/savepoints");
            } else {
                throw new InvalidOptionException(key, "unknown option" + suggestion(key));
            }
        }
        BarcastConfig config = new BarcastConfig(values, flink);
        for (ConfigOption<?> option : OPTIONS.values()) {
            config.get(option);
        }
        config.sanityCheck();
        return config;
    }

    /**
     * The settings plus the secrets the environment gives ({@code BARCAST_JDBC_PASSWORD}) where the
     * settings leave them out, so that no password has to sit in a file or a program argument
     * (Flink shows a job's arguments in its web UI).
     */
    public static Map<String, String> withSecretsFrom(
            Map<String, String> env, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        String password = env.get(JdbcOptions.PASSWORD_ENV);
        if (password != null && !password.isEmpty()) {
            all.putIfAbsent(JdbcOptions.PASSWORD.key(), password);
        }
        return all;
    }

    /** The settings of a YAML file, nested maps flattened to dotted keys. */
    public static Map<String, String> readYaml(Path file) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            Map<String, String> flat = new LinkedHashMap<>();
            if (root != null && !root.isNull()) {
                if (!root.isObject()) {
                    throw new IllegalArgumentException(
                            "config file " + file + " is not a map of options");
                }
                flatten("", root, flat);
            }
            return flat;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(
                        prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
                        field.getValue(),
                        out);
            }
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            out.put(prefix, String.join(",", items));
        } else {
            out.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    /** The typed value of an option; a value that does not parse names the option. */
    public <T> T get(ConfigOption<T> option) {
        try {
            return values.get(option);
        } catch (RuntimeException e) {
            String shown =
                    SECRETS.contains(option.key())
                            ? Secrets.MASK
                            : values.toMap().getOrDefault(option.key(), "");
            throw new InvalidOptionException(
                    option.key(), "cannot use '" + shown + "': " + Failures.rootMessage(e));
        }
    }

    /** The kind of bar source the {@code source} option selects. */
    public SourceKind source() {
        return SourceKind.of(get(SourceOptions.SOURCE));
    }

    /** Whether the option was given (rather than left at its default). */
    public boolean isSet(ConfigOption<?> option) {
        return values.contains(option);
    }

    /** A copy with more settings applied over these. */
    public BarcastConfig with(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(values.toMap());
        flink.forEach((k, v) -> all.put(FLINK_PREFIX + k, v));
        all.putAll(more);
        return of(all);
    }

    /** Settings passed through to Flink ({@code flink.*} without the prefix). */
    public Map<String, String> flinkSettings() {
        return flink;
    }

    /** Every option and its value, secrets masked: safe for logs. */
    public Map<String, String> describe() {
        Map<String, String> shown = new TreeMap<>();
        for (ConfigOption<?> option : OPTIONS.values()) {
            Object value = get(option);
            String text = value == null ? "" : value.toString();
            if (SECRETS.contains(option.key()) && !text.isEmpty()) {
                text = Secrets.MASK;
            } else if (option.key().equals(JdbcOptions.URL.key())) {
                text = Secrets.maskUrlPasswords(text);
            }
            shown.put(option.key(), text);
        }
        flink.forEach((k, v) -> shown.put(FLINK_PREFIX + k, v));
        return shown;
    }

    private void sanityCheck() {
        SourceKind source = source();
        positive(SourceOptions.SIMULATOR_SYMBOLS, get(SourceOptions.SIMULATOR_SYMBOLS));
        atLeastZero(SourceOptions.SIMULATOR_SPEED, get(SourceOptions.SIMULATOR_SPEED));
        atLeastZero(SourceOptions.REPLAY_SPEED, get(SourceOptions.REPLAY_SPEED));
        double glitchRate = get(SourceOptions.SIMULATOR_GLITCH_RATE);
        if (!(glitchRate >= 0 && glitchRate <= 1)) {
            throw new InvalidOptionException(
                    SourceOptions.SIMULATOR_GLITCH_RATE.key(),
                    "must be between 0 and 1, got " + glitchRate);
        }
        atLeastZero(
                SourceOptions.SIMULATOR_BARS_PER_SYMBOL,
                get(SourceOptions.SIMULATOR_BARS_PER_SYMBOL));
        try {
            java.time.Instant.parse(get(SourceOptions.SIMULATOR_START));
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidOptionException(
                    SourceOptions.SIMULATOR_START.key(),
                    "'" + get(SourceOptions.SIMULATOR_START) + "' is not an ISO-8601 instant");
        }
        if (source == SourceKind.REPLAY && !isSet(SourceOptions.REPLAY_PATH)) {
            throw new InvalidOptionException(
                    SourceOptions.REPLAY_PATH.key(), "is required when source=replay");
        }
        if (source == SourceKind.POLYGON && !isSet(PolygonSourceOptions.SYMBOLS)) {
            throw new InvalidOptionException(
                    PolygonSourceOptions.SYMBOLS.key(), "is required when source=polygon");
        }
        positive(InferenceOptions.BATCH_SIZE, get(InferenceOptions.BATCH_SIZE));
        positive(InferenceOptions.CAPACITY, get(InferenceOptions.CAPACITY));
        positive(PipelineOptions.PARALLELISM, get(PipelineOptions.PARALLELISM));
        String bindAddress = get(PipelineOptions.BIND_ADDRESS).trim();
        if (!resolves(bindAddress)) {
            throw new InvalidOptionException(
                    PipelineOptions.BIND_ADDRESS.key(),
                    "'" + bindAddress + "' is neither an IP address nor a known host name");
        }
        positive(JdbcOptions.BATCH_SIZE, get(JdbcOptions.BATCH_SIZE));
        positive(KafkaOptions.PARTITIONS, get(KafkaOptions.PARTITIONS));
        positive(KafkaOptions.MAX_RECORD_BYTES, get(KafkaOptions.MAX_RECORD_BYTES));
        if (get(KafkaOptions.TRANSACTION_TIMEOUT).toMinutes() > 15) {
            throw new InvalidOptionException(
                    KafkaOptions.TRANSACTION_TIMEOUT.key(),
                    "must not exceed the broker's transaction.max.timeout.ms (15 min by"
                            + " default)");
        }
        atLeastZero(RecoveryOptions.RESTART_ATTEMPTS, get(RecoveryOptions.RESTART_ATTEMPTS));
        if (get(RecoveryOptions.RESTART_INITIAL_DELAY).isNegative()
                || get(RecoveryOptions.RESTART_INITIAL_DELAY)
                                .compareTo(get(RecoveryOptions.RESTART_MAX_DELAY))
                        > 0) {
            throw new InvalidOptionException(
                    RecoveryOptions.RESTART_INITIAL_DELAY.key(),
                    "must be between 0 and restart.max-delay ("
                            + get(RecoveryOptions.RESTART_MAX_DELAY)
                            + ")");
        }
        if (get(PipelineOptions.MAX_AHEAD).isNegative()
                || get(PipelineOptions.MAX_AHEAD).isZero()) {
            throw new InvalidOptionException(PipelineOptions.MAX_AHEAD.key(), "must be positive");
        }
        if (get(InferenceOptions.MODEL_RELOAD_INTERVAL).isNegative()) {
            throw new InvalidOptionException(
                    InferenceOptions.MODEL_RELOAD_INTERVAL.key(), "must not be negative");
        }
        checkApi();
        checkWebhooks();
        checkExports();
        // the calendar, band, confidence and recommendation options, each checked by name
        ForecastSettings.tracker(this, ForecastSettings.calendars(this));
        String url = values.get(JdbcOptions.URL);
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new InvalidOptionException(
                    JdbcOptions.URL.key(), "must start with jdbc:postgresql:");
        }
    }

    private void checkApi() {
        int port = get(ApiOptions.PORT);
        if (port < 0 || port > 65_535) {
            throw new InvalidOptionException(
                    ApiOptions.PORT.key(), "must be from 0 to 65535, got " + port);
        }
        positive(ApiOptions.LIMIT_DEFAULT, get(ApiOptions.LIMIT_DEFAULT));
        positive(ApiOptions.LIMIT_PREMIUM, get(ApiOptions.LIMIT_PREMIUM));
        positive(ApiOptions.LIMIT_ADMIN, get(ApiOptions.LIMIT_ADMIN));
        positive(ApiOptions.MAX_BODY_BYTES, get(ApiOptions.MAX_BODY_BYTES));
        positive(ApiOptions.BATCH_MAX_SYMBOLS, get(ApiOptions.BATCH_MAX_SYMBOLS));
        positive(ApiOptions.DB_POOL_SIZE, get(ApiOptions.DB_POOL_SIZE));
        if (get(ApiOptions.STALE_AFTER).isNegative() || get(ApiOptions.STALE_AFTER).isZero()) {
            throw new InvalidOptionException(ApiOptions.STALE_AFTER.key(), "must be positive");
        }
        String flinkUrl = values.get(ApiOptions.FLINK_REST_URL);
        if (flinkUrl != null
                && !flinkUrl.startsWith("http://")
                && !flinkUrl.startsWith("https://")) {
            throw new InvalidOptionException(
                    ApiOptions.FLINK_REST_URL.key(), "must start with http:// or https://");
        }
        for (String origin : get(ApiOptions.CORS_ORIGINS)) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new InvalidOptionException(
                        ApiOptions.CORS_ORIGINS.key(),
                        "'" + origin + "' is not an origin such as https://dash.example.com");
            }
        }
        checkStreamOptions();
    }

    /** The live streams' options ({@code api.stream.*}). */
    private void checkStreamOptions() {
        positive(ApiOptions.STREAM_CLIENT_BUFFER, get(ApiOptions.STREAM_CLIENT_BUFFER));
        positive(ApiOptions.STREAM_MAX_CLIENTS, get(ApiOptions.STREAM_MAX_CLIENTS));
        Duration heartbeat = get(ApiOptions.STREAM_HEARTBEAT);
        // Jetty closes a connection idle for 30 s; a heartbeat must come before
        if (heartbeat.toMillis() < 1 || heartbeat.compareTo(Duration.ofSeconds(25)) > 0) {
            throw new InvalidOptionException(
                    ApiOptions.STREAM_HEARTBEAT.key(),
                    "must be from 1 ms to 25 s (idle connections close after 30 s), got "
                            + heartbeat);
        }
        Duration lifetime = get(ApiOptions.STREAM_TOKEN_LIFETIME);
        if (lifetime.toMillis() < 1 || lifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidOptionException(
                    ApiOptions.STREAM_TOKEN_LIFETIME.key(),
                    "must be from 1 ms to 1 h (a token in a URL should be short-lived), got "
                            + lifetime);
        }
    }

    private void checkWebhooks() {
        positiveDuration(ApiOptions.WEBHOOKS_TIMEOUT);
        positive(ApiOptions.WEBHOOKS_MAX_ATTEMPTS, get(ApiOptions.WEBHOOKS_MAX_ATTEMPTS));
        positiveDuration(ApiOptions.WEBHOOKS_RETRY_BACKOFF);
        positiveDuration(ApiOptions.WEBHOOKS_DISABLE_AFTER);
        positive(ApiOptions.WEBHOOKS_SENDERS, get(ApiOptions.WEBHOOKS_SENDERS));
        positive(ApiOptions.WEBHOOKS_MAX_PER_KEY, get(ApiOptions.WEBHOOKS_MAX_PER_KEY));
        positiveDuration(ApiOptions.WEBHOOKS_RETENTION);
        for (String host : get(ApiOptions.WEBHOOKS_ALLOWED_HOSTS)) {
            if (host.isBlank() || host.contains("/") || host.contains("@") || host.contains(" ")) {
                throw new InvalidOptionException(
                        ApiOptions.WEBHOOKS_ALLOWED_HOSTS.key(),
                        "'" + host + "' is not a host name or address (no scheme, port or path)");
            }
        }
    }

    private void checkExports() {
        int workers = get(ApiOptions.EXPORTS_WORKERS);
        positive(ApiOptions.EXPORTS_WORKERS, workers);
        if (workers >= get(ApiOptions.DB_POOL_SIZE)) {
            throw new InvalidOptionException(
                    ApiOptions.EXPORTS_WORKERS.key(),
                    "must be below "
                            + ApiOptions.DB_POOL_SIZE.key()
                            + " ("
                            + get(ApiOptions.DB_POOL_SIZE)
                            + "): each running export holds a connection, and requests need"
                            + " some, got "
                            + workers);
        }
        positiveDuration(ApiOptions.EXPORTS_EXPIRE_AFTER);
        for (ConfigOption<Long> option :
                List.of(
                        ApiOptions.EXPORTS_MAX_ROWS_DEFAULT,
                        ApiOptions.EXPORTS_MAX_ROWS_PREMIUM,
                        ApiOptions.EXPORTS_MAX_ROWS_ADMIN)) {
            atLeastZero(option, get(option));
        }
        positive(ApiOptions.EXPORTS_MAX_ACTIVE_DEFAULT, get(ApiOptions.EXPORTS_MAX_ACTIVE_DEFAULT));
        positive(ApiOptions.EXPORTS_MAX_ACTIVE_PREMIUM, get(ApiOptions.EXPORTS_MAX_ACTIVE_PREMIUM));
        positive(ApiOptions.EXPORTS_MAX_ACTIVE_ADMIN, get(ApiOptions.EXPORTS_MAX_ACTIVE_ADMIN));
        String dir = values.get(ApiOptions.EXPORTS_DIR);
        if (dir != null) {
            if (dir.isBlank()) {
                throw new InvalidOptionException(
                        ApiOptions.EXPORTS_DIR.key(), "must name a folder, got an empty value");
            }
            Path path = Path.of(dir.trim());
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new InvalidOptionException(
                        ApiOptions.EXPORTS_DIR.key(), "'" + dir + "' is a file, not a folder");
            }
        }
    }

    private void positiveDuration(ConfigOption<Duration> option) {
        if (get(option).isNegative() || get(option).isZero()) {
            throw new InvalidOptionException(option.key(), "must be positive, got " + get(option));
        }
    }

    private static boolean resolves(String host) {
        try {
            // an empty name would resolve to the loopback address and hide a mistake
            return !host.isEmpty() && InetAddress.getByName(host) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void positive(ConfigOption<?> option, Number value) {
        if (value.doubleValue() <= 0) {
            throw new InvalidOptionException(option.key(), "must be positive, got " + value);
        }
    }

    private static void atLeastZero(ConfigOption<?> option, Number value) {
        if (value.doubleValue() < 0 || Double.isNaN(value.doubleValue())) {
            throw new InvalidOptionException(option.key(), "must be >= 0, got " + value);
        }
    }

    private static String suggestion(String key) {
        return OPTIONS.keySet().stream()
                .min(Comparator.comparingInt(known -> distance(known, key)))
                .filter(best -> distance(best, key) <= Math.max(2, key.length() / 3))
                .map(best -> " (did you mean '" + best + "'?)")
                .orElse(" (see --help for the options)");
    }

    /** Levenshtein distance, for "did you mean". */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Map<String, ConfigOption<?>> collect() {
        Map<String, ConfigOption<?>> options = new TreeMap<>();
        for (Class<?> holder :
                List.of(
                        SourceOptions.class,
                        PolygonSourceOptions.class,
                        ApiOptions.class,
                        KafkaOptions.class,
                        JdbcOptions.class,
                        InferenceOptions.class,
                        CalendarOptions.class,
                        ForecastOptions.class,
                        MonitorOptions.class,
                        PipelineOptions.class,
                        RecoveryOptions.class)) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        options.put(option.key(), option);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return options;
    }
}
