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
