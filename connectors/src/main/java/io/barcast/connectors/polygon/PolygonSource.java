package io.barcast.connectors.polygon;

import static io.barcast.connectors.polygon.PolygonSourceOptions.API_KEY;
import static io.barcast.connectors.polygon.PolygonSourceOptions.API_KEY_ENV;
import static io.barcast.connectors.polygon.PolygonSourceOptions.BACKFILL_FROM;
import static io.barcast.connectors.polygon.PolygonSourceOptions.BACKFILL_TO;
import static io.barcast.connectors.polygon.PolygonSourceOptions.CONNECT_TIMEOUT;
import static io.barcast.connectors.polygon.PolygonSourceOptions.DELAY;
import static io.barcast.connectors.polygon.PolygonSourceOptions.EXTENDED_HOURS;
import static io.barcast.connectors.polygon.PolygonSourceOptions.MODE;
import static io.barcast.connectors.polygon.PolygonSourceOptions.POLL_INTERVAL;
import static io.barcast.connectors.polygon.PolygonSourceOptions.REQUESTS_PER_MINUTE;
import static io.barcast.connectors.polygon.PolygonSourceOptions.REQUEST_TIMEOUT;
import static io.barcast.connectors.polygon.PolygonSourceOptions.REST_URL;
import static io.barcast.connectors.polygon.PolygonSourceOptions.RETRY_BACKOFF;
import static io.barcast.connectors.polygon.PolygonSourceOptions.RETRY_MAX_BACKOFF;
import static io.barcast.connectors.polygon.PolygonSourceOptions.REVISION_GRACE;
import static io.barcast.connectors.polygon.PolygonSourceOptions.SYMBOLS;
import static io.barcast.connectors.polygon.PolygonSourceOptions.WS_URL;

import io.barcast.connectors.polygon.enumerator.PolygonSplitEnumerator;
import io.barcast.connectors.polygon.reader.PolygonSourceReader;
import io.barcast.connectors.polygon.split.PolygonSplit;
import io.barcast.connectors.polygon.split.PolygonSplitSerializer;
import io.barcast.connectors.source.SplitListSerializer;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 15-minute bars from Polygon (also branded Massive): a backfill over REST from a start time, then
 * new bars as they become final, polled over REST or rolled up from the WebSocket's minute
 * aggregates. Its splits are groups of symbols, each with the position it has delivered through, so
 * a restore resumes with no gap and no duplicate. All readers share one request budget. Build one
 * with {@link #builder()}.
 */
public final class PolygonSource implements Source<IncomingBar, PolygonSplit, List<PolygonSplit>> {

    private static final Logger LOG = LoggerFactory.getLogger(PolygonSource.class);

    private final PolygonSettings settings;
    private final int splits;

    private PolygonSource(PolygonSettings settings, int splits) {
        this.settings = settings;
        this.splits = splits;
    }

    public static Builder builder() {
        return new Builder();
    }

    public PolygonSettings settings() {
        return settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return settings.backfillTo() == null
                ? Boundedness.CONTINUOUS_UNBOUNDED
                : Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<PolygonSplit, List<PolygonSplit>> createEnumerator(
            SplitEnumeratorContext<PolygonSplit> context) {
        List<Map<String, Long>> groups = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            groups.add(new LinkedHashMap<>());
        }
        long before = settings.backfillFrom() - Bar.INTERVAL_MILLIS;
        List<String> symbols = settings.symbols();
        for (int i = 0; i < symbols.size(); i++) {
            groups.get(i % splits).put(symbols.get(i), before);
        }
        List<PolygonSplit> all = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            all.add(new PolygonSplit("polygon-" + i, groups.get(i)));
        }
        return new PolygonSplitEnumerator(context, all, settings.requestsPerMinute());
    }

    @Override
    public SplitEnumerator<PolygonSplit, List<PolygonSplit>> restoreEnumerator(
            SplitEnumeratorContext<PolygonSplit> context, List<PolygonSplit> checkpoint) {
        return new PolygonSplitEnumerator(context, checkpoint, settings.requestsPerMinute());
    }

    @Override
    public SourceReader<IncomingBar, PolygonSplit> createReader(SourceReaderContext context) {
        return new PolygonSourceReader(settings, context);
    }

    @Override
    public SimpleVersionedSerializer<PolygonSplit> getSplitSerializer() {
        return new PolygonSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<PolygonSplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(new PolygonSplitSerializer());
    }

    /**
     * Builds a {@link PolygonSource}. The defaults are those of {@link PolygonSourceOptions} and
     * suit Polygon's delayed plans: delayed stocks WebSocket, 15 minutes delay, 5 requests a minute
     * (the free plan's budget).
     */
    public static final class Builder {
        private List<String> symbols = List.of();
        private PolygonMode mode = PolygonMode.of(MODE.defaultValue());
        private String restUrl = REST_URL.defaultValue();
        private String wsUrl = WS_URL.defaultValue();
        private Instant backfillFrom;
        private Instant backfillTo;
        private Duration pollInterval = POLL_INTERVAL.defaultValue();
        private Duration delay = DELAY.defaultValue();
        private Duration revisionGrace = REVISION_GRACE.defaultValue();
        private int requestsPerMinute = REQUESTS_PER_MINUTE.defaultValue();
        private Duration connectTimeout = CONNECT_TIMEOUT.defaultValue();
        private Duration requestTimeout = REQUEST_TIMEOUT.defaultValue();
        private Duration retryInitialBackoff = RETRY_BACKOFF.defaultValue();
        private Duration retryMaxBackoff = RETRY_MAX_BACKOFF.defaultValue();
        private boolean extendedHours = EXTENDED_HOURS.defaultValue();
        private Duration heartbeat = Duration.ofSeconds(30);
        private String apiKey;
        private Clock clock = Clock.systemUTC();
        private int splits = 8;

        public Builder symbols(List<String> symbols) {
            this.symbols = List.copyOf(symbols);
            return this;
        }

        public Builder mode(PolygonMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder restUrl(String restUrl) {
            this.restUrl = restUrl;
            return this;
        }

        public Builder wsUrl(String wsUrl) {
            this.wsUrl = wsUrl;
            return this;
        }

        /** The first bar wanted. */
        public Builder backfillFrom(Instant backfillFrom) {
            this.backfillFrom = backfillFrom;
            return this;
        }

        /** When set, the source ends after the last bar before this instant (REST only). */
        public Builder backfillTo(Instant backfillTo) {
            this.backfillTo = backfillTo;
            return this;
        }

        /** How often a caught-up symbol asks for new bars. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** How far the plan's data lags real time (15 minutes on delayed plans). */
        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /** How long after its window (and the delay) a bar may still be revised. */
        public Builder revisionGrace(Duration revisionGrace) {
            this.revisionGrace = revisionGrace;
            return this;
        }

        public Builder requestsPerMinute(int requestsPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Deadline for a whole response, body included. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder retryBackoff(Duration initial, Duration max) {
            this.retryInitialBackoff = initial;
            this.retryMaxBackoff = max;
            return this;
        }

        /** Whether stock bars outside the regular session (pre- and after-market) are kept. */
        public Builder extendedHours(boolean extendedHours) {
            this.extendedHours = extendedHours;
            return this;
        }

        /** How often the WebSocket is pinged; silent for two of these, it is taken as lost. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Market time; must be serializable. Tests run the market faster than the wall clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Most symbol groups to read in parallel (WebSocket mode always uses one connection). */
        public Builder splits(int splits) {
            this.splits = splits;
            return this;
        }

        /**
         * Checks the settings; a problem throws {@link IllegalArgumentException} whose message
         * starts with the option it concerns (e.g. {@code polygon.symbols: ...}).
         */
        public PolygonSource build() {
            List<String> cleaned = new ArrayList<>();
            for (String symbol : symbols) {
                String trimmed = symbol.trim();
                if (!trimmed.isEmpty() && !cleaned.contains(trimmed)) {
                    cleaned.add(trimmed);
                }
            }
            require(!cleaned.isEmpty(), SYMBOLS, "at least one symbol is needed");
            for (String symbol : cleaned) {
                require(
                        symbol.matches("(X:)?[A-Z0-9.\\-]+"),
                        SYMBOLS,
                        "'" + symbol + "' is not a Polygon ticker (AAPL, BRK.B, X:BTCUSD)");
            }
            require(
                    apiKey != null && !apiKey.isBlank(),
                    API_KEY,
                    "no Polygon API key: set " + API_KEY_ENV + " or " + API_KEY.key());
            require(backfillFrom != null, BACKFILL_FROM, "a start is needed");
            require(
                    backfillTo == null || backfillTo.isAfter(backfillFrom),
                    BACKFILL_TO,
                    "must be after " + BACKFILL_FROM.key());
            require(
                    backfillTo == null || mode == PolygonMode.REST,
                    BACKFILL_TO,
                    "a bounded run reads REST only; set " + MODE.key() + "=rest");
            requireUrl(restUrl, REST_URL, "http");
            if (mode == PolygonMode.WEBSOCKET) {
                requireUrl(wsUrl, WS_URL, "ws");
                boolean crypto = cleaned.get(0).startsWith("X:");
                require(
                        cleaned.stream().allMatch(s -> s.startsWith("X:") == crypto),
                        SYMBOLS,
                        "one WebSocket carries stocks or crypto pairs, not both; run one job"
                                + " each");
                require(
                        !crypto || !wsUrl.contains("/stocks"),
                        WS_URL,
                        "crypto pairs stream from the crypto cluster, e.g."
                                + " wss://socket.polygon.io/crypto");
            }
            require(requestsPerMinute >= 1, REQUESTS_PER_MINUTE, "must be >= 1");
            positive(pollInterval, POLL_INTERVAL.key());
            positive(connectTimeout, CONNECT_TIMEOUT.key());
            positive(requestTimeout, REQUEST_TIMEOUT.key());
            positive(retryInitialBackoff, RETRY_BACKOFF.key());
            positive(heartbeat, "heartbeat");
            require(!delay.isNegative(), DELAY, "must not be negative");
            require(!revisionGrace.isNegative(), REVISION_GRACE, "must not be negative");
            require(splits >= 1, "polygon.splits", "must be >= 1");
            require(clock != null, "clock", "a clock is needed");
            ApiKey key;
            try {
                key = new ApiKey(apiKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(API_KEY.key() + ": " + e.getMessage());
            }
            if (mode == PolygonMode.WEBSOCKET
                    && wsUrl.contains("delayed.")
                    && delay.compareTo(DELAY.defaultValue()) < 0) {
                LOG.warn(
                        "{} is {} but {} is a delayed feed (15 min): bars become final by the"
                                + " stream's own time, so this only matters when it is quiet",
                        DELAY.key(),
                        delay,
                        wsUrl);
            }
            PolygonSettings settings =
                    new PolygonSettings(
                            List.copyOf(cleaned),
                            mode,
                            restUrl,
                            wsUrl,
                            floorToBar(backfillFrom.toEpochMilli()),
                            backfillTo == null ? null : backfillTo.toEpochMilli(),
                            pollInterval,
                            delay,
                            revisionGrace,
                            requestsPerMinute,
                            connectTimeout,
                            requestTimeout,
                            retryInitialBackoff,
                            retryMaxBackoff,
                            extendedHours,
                            heartbeat,
                            key,
                            clock);
            int groups = mode == PolygonMode.WEBSOCKET ? 1 : Math.min(splits, cleaned.size());
            return new PolygonSource(settings, groups);
        }

        private static long floorToBar(long time) {
            return Math.floorDiv(time, Bar.INTERVAL_MILLIS) * Bar.INTERVAL_MILLIS;
        }

        private static void positive(Duration duration, String option) {
            require(
                    duration != null && !duration.isNegative() && !duration.isZero(),
                    option,
                    "must be positive");
        }

        private static void requireUrl(String url, ConfigOption<String> option, String scheme) {
            require(
                    url != null
                            && (url.startsWith(scheme + "://") || url.startsWith(scheme + "s://")),
                    option,
                    "'" + url + "' is not a " + scheme + ":// or " + scheme + "s:// URL");
            try {
                java.net.URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option.key() + ": '" + url + "' is not a URL");
            }
        }

        private static void require(boolean ok, ConfigOption<?> option, String problem) {
            require(ok, option.key(), problem);
        }

        private static void require(boolean ok, String option, String problem) {
            if (!ok) {
                throw new IllegalArgumentException(option + ": " + problem);
            }
        }
    }
}
