package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * The query API service ({@code barcast api}, and the demo's). It reads the {@code jdbc.*} tables,
 * writes control requests to {@code kafka.topic.repredictions} and listens on {@code bind-address}.
 */
public final class ApiOptions {

    public static final ConfigOption<Integer> PORT =
            key("api.port")
                    .intType()
                    .defaultValue(8090)
                    .withDescription("Port of the query API (0 picks a free one).");

    public static final ConfigOption<List<String>> CORS_ORIGINS =
            key("api.cors-origins")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Origins a browser may call the API from, separated by ';' (e.g."
                                    + " https://dash.example.com). Default: none.");

    public static final ConfigOption<Integer> LIMIT_DEFAULT =
            key("api.rate-limit.default")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Requests a minute a key of the default tier may make.");

    public static final ConfigOption<Integer> LIMIT_PREMIUM =
            key("api.rate-limit.premium")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription("Requests a minute a key of the premium tier may make.");

    public static final ConfigOption<Integer> LIMIT_ADMIN =
            key("api.rate-limit.admin")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Requests a minute a key of the admin tier may make.");

    public static final ConfigOption<Integer> MAX_BODY_BYTES =
            key("api.max-body-bytes")
                    .intType()
                    .defaultValue(1 << 20)
                    .withDescription("Largest request body; a larger one gets 413.");

    public static final ConfigOption<Integer> BATCH_MAX_SYMBOLS =
            key("api.batch.max-symbols")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Most symbols one batch call may ask for.");

    public static final ConfigOption<Integer> DB_POOL_SIZE =
            key("api.db.pool-size")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Connections the API keeps to PostgreSQL.");

    public static final ConfigOption<Duration> STALE_AFTER =
            key("api.stale-after")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "A forecast made longer ago than this counts as stale in batch"
                                    + " answers.");

    public static final ConfigOption<String> FLINK_REST_URL =
            key("api.flink-rest-url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Flink REST API of the job (e.g. http://127.0.0.1:8081), for the"
                                    + " job's state in /api/v1/status. The demo sets it.");

    // Webhooks (api/.../webhook): where deliveries may go, how they are tried, what is kept.

    public static final ConfigOption<List<String>> WEBHOOKS_ALLOWED_HOSTS =
            key("api.webhooks.allowed-hosts")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Hosts (names or addresses, separated by ';') a webhook may point at"
                                    + " although they are loopback, private, link-local or"
                                    + " metadata addresses, e.g. 127.0.0.1 for a receiver on the"
                                    + " same machine. Default: none.");

    public static final ConfigOption<Duration> WEBHOOKS_TIMEOUT =
            key("api.webhooks.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Connect and read timeout of one delivery attempt.");

    public static final ConfigOption<Integer> WEBHOOKS_MAX_ATTEMPTS =
            key("api.webhooks.max-attempts")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Attempts of one delivery before it is given up.");

    public static final ConfigOption<Duration> WEBHOOKS_RETRY_BACKOFF =
            key("api.webhooks.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Wait before the first retry; each next one waits three times"
                                    + " longer (give or take a fifth, at most 6 h).");

    public static final ConfigOption<Duration> WEBHOOKS_DISABLE_AFTER =
            key("api.webhooks.disable-after")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "A webhook whose every attempt failed for this long is disabled, with"
                                    + " an alert.");

    public static final ConfigOption<Integer> WEBHOOKS_SENDERS =
            key("api.webhooks.senders")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Delivery attempts in flight at once per API instance.");

    public static final ConfigOption<Integer> WEBHOOKS_MAX_PER_KEY =
            key("api.webhooks.max-per-key")
                    .intType()
                    .defaultValue(20)
                    .withDescription("Most webhooks one API key may have.");

    public static final ConfigOption<Duration> WEBHOOKS_RETENTION =
            key("api.webhooks.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription("Deliveries older than this are deleted.");
    // ---- exports (api.exports.*)

    public static final ConfigOption<String> EXPORTS_DIR =
            key("api.exports.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Folder the export files are written to. Instances behind one load"
                                    + " balancer must share it (a network file system), since any"
                                    + " instance may write an export and any may serve its"
                                    + " download. Default: barcast-exports in the temporary"
                                    + " folder.");

    public static final ConfigOption<Integer> EXPORTS_WORKERS =
            key("api.exports.workers")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Exports one instance writes at once; each holds a database"
                                    + " connection while it runs, so it must be below"
                                    + " api.db.pool-size.");

    public static final ConfigOption<Duration> EXPORTS_EXPIRE_AFTER =
            key("api.exports.expire-after")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "How long a finished export can be downloaded; then its file is"
                                    + " deleted (state expired), and its row a while later.");

    public static final ConfigOption<Long> EXPORTS_MAX_ROWS_DEFAULT =
            key("api.exports.max-rows.default")
                    .longType()
                    .defaultValue(1_000_000L)
                    .withDescription(
                            "Most rows one export of a default key may hold (0: no limit); one"
                                    + " with more fails, naming the limit.");

    public static final ConfigOption<Long> EXPORTS_MAX_ROWS_PREMIUM =
            key("api.exports.max-rows.premium")
                    .longType()
                    .defaultValue(10_000_000L)
                    .withDescription(
                            "Most rows one export of a premium key may hold (0: no limit).");

    public static final ConfigOption<Long> EXPORTS_MAX_ROWS_ADMIN =
            key("api.exports.max-rows.admin")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "Most rows one export of an admin key may hold (0: no limit).");

    public static final ConfigOption<Integer> EXPORTS_MAX_ACTIVE_DEFAULT =
            key("api.exports.max-active.default")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Most exports a default key may have queued or running at once; one"
                                    + " more is refused with 429.");

    public static final ConfigOption<Integer> EXPORTS_MAX_ACTIVE_PREMIUM =
            key("api.exports.max-active.premium")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Most exports a premium key may have queued or running at once.");

    public static final ConfigOption<Integer> EXPORTS_MAX_ACTIVE_ADMIN =
            key("api.exports.max-active.admin")
                    .intType()
                    .defaultValue(20)
                    .withDescription(
                            "Most exports an admin key may have queued or running at once.");

    // ---- live streams (api.stream.*)

    public static final ConfigOption<Integer> STREAM_CLIENT_BUFFER =
            key("api.stream.client-buffer")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription(
                            "Events a stream client may have waiting; one that falls further"
                                    + " behind is dropped, with a last event saying why.");

    public static final ConfigOption<Duration> STREAM_HEARTBEAT =
            key("api.stream.heartbeat")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(15))
                    .withDescription(
                            "How often an idle stream gets a heartbeat (an SSE comment, a"
                                    + " WebSocket ping), so proxies keep it open.");

    public static final ConfigOption<Duration> STREAM_TOKEN_LIFETIME =
            key("api.stream.token-lifetime")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "How long a stream token (POST /api/v1/stream/tokens, for browsers)"
                                    + " can open streams.");

    public static final ConfigOption<Integer> STREAM_MAX_CLIENTS =
            key("api.stream.max-clients")
                    .intType()
                    .defaultValue(2_000)
                    .withDescription(
                            "Streams (SSE and WebSocket) one instance serves at once; more get"
                                    + " 503.");

    private ApiOptions() {}
}
