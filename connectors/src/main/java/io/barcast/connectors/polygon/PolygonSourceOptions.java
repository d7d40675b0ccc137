package io.barcast.connectors.polygon;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * The options of the {@link PolygonSource}: keys, defaults and descriptions. The builder's defaults
 * are these defaults, and its refusals name these keys.
 */
public final class PolygonSourceOptions {

    /** The environment variable the API key is read from when {@link #API_KEY} is not set. */
    public static final String API_KEY_ENV = "POLYGON_API_KEY";

    public static final ConfigOption<String> SYMBOLS =
            key("polygon.symbols")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Tickers to read, separated by commas: stocks (AAPL,MSFT) or crypto"
                                    + " pairs (X:BTCUSD, traded 24x7).");

    public static final ConfigOption<String> MODE =
            key("polygon.mode")
                    .stringType()
                    .defaultValue("rest")
                    .withDescription(
                            "How new bars arrive after the backfill: rest (poll the aggregates"
                                    + " endpoint) or websocket (roll up the minute aggregates"
                                    + " stream; REST fills gaps).");

    public static final ConfigOption<String> REST_URL =
            key("polygon.rest-url")
                    .stringType()
                    .defaultValue("https://api.polygon.io")
                    .withDescription("Polygon's REST API.");

    public static final ConfigOption<String> WS_URL =
            key("polygon.ws-url")
                    .stringType()
                    .defaultValue("wss://delayed.polygon.io/stocks")
                    .withDescription(
                            "Polygon's WebSocket cluster: delayed stocks by default;"
                                    + " wss://socket.polygon.io/stocks for real time,"
                                    + " wss://socket.polygon.io/crypto for crypto pairs.");

    public static final ConfigOption<String> BACKFILL_FROM =
            key("polygon.backfill-from")
                    .stringType()
                    .defaultValue("30d")
                    .withDescription(
                            "First bar to fetch: a date (2026-10-01, UTC), an instant"
                                    + " (2026-10-01T13:30:00Z) or a duration back from the"
                                    + " job's submission (30d, 36h).");

    public static final ConfigOption<String> BACKFILL_TO =
            key("polygon.backfill-to")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Optional end (date or instant, exclusive): the job reads history up"
                                    + " to it and ends (REST only).");

    public static final ConfigOption<Duration> POLL_INTERVAL =
            key("polygon.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How often a caught-up symbol asks REST for new bars; asks that could"
                                    + " not find a new final bar are skipped without a request.");

    public static final ConfigOption<Duration> DELAY =
            key("polygon.delay")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "How far the plan's data lags real time: 15 min on delayed plans, 0 on"
                                    + " real-time ones.");

    public static final ConfigOption<Duration> REVISION_GRACE =
            key("polygon.revision-grace")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "How long after its window closes (plus the delay) a bar may still be"
                                    + " revised; bars are emitted only after it.");

    public static final ConfigOption<Integer> REQUESTS_PER_MINUTE =
            key("polygon.requests-per-minute")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Request budget of the whole job (all readers together): 5 on the"
                                    + " free plan.");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            key("polygon.connect-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Connect timeout for REST and the WebSocket.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT =
            key("polygon.request-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Deadline for a whole REST response, body included.");

    public static final ConfigOption<Duration> RETRY_BACKOFF =
            key("polygon.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "First wait after a failed request or lost connection; doubles per"
                                    + " failure in a row, with jitter.");

    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF =
            key("polygon.retry-max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription("Longest wait between retries.");

    public static final ConfigOption<Boolean> EXTENDED_HOURS =
            key("polygon.extended-hours")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Keep stock bars outside the regular session (pre- and after-market);"
                                    + " the default model knows the regular session only.");

    public static final ConfigOption<String> API_KEY =
            key("polygon.api-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Polygon API key; better left unset and given in the environment"
                                    + " variable "
                                    + API_KEY_ENV
                                    + ". Never printed.");

    private PolygonSourceOptions() {}
}
