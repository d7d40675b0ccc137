package io.barcast.api;

import io.barcast.api.auth.Tier;
import io.barcast.api.export.ExportSettings;
import io.barcast.api.stream.StreamSettings;
import io.barcast.api.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the API service needs to start: where the sink tables and the broker are, where it listens,
 * and its limits. Built from the {@code api.*}, {@code jdbc.*} and {@code kafka.*} options by the
 * command line; tests start from {@link #defaults} and change what they need with {@link
 * #toBuilder()}.
 *
 * @param jdbcUrl PostgreSQL holding the sink tables and the API's own tables (keys, limits)
 * @param kafkaBootstrapServers the broker; null when there is none (control and readiness say so)
 * @param repredictionsTopic where a manual reprediction request goes
 * @param bindAddress the address the server listens on (127.0.0.1 keeps it on this machine)
 * @param port the port; 0 picks a free one
 * @param requestsPerMinute the rate limit of each tier
 * @param corsOrigins origins a browser may call the API from; empty: none
 * @param modelDir the model folders, for the models endpoint
 * @param flinkRestUrl the Flink REST API of the job, for the status endpoint; null when unknown
 * @param maxBodyBytes the largest request body accepted
 * @param maxBatchSymbols the most symbols a batch call may ask for
 * @param dbPoolSize connections in the database pool
 * @param staleAfter a forecast made longer ago than this is stale in batch answers
 * @param forecasting what predict forecasts with; null: predict answers 503
 * @param topics the job's result topics, which streams and webhooks push
 * @param streams how live streams behave
 * @param webhooks how webhooks are delivered
 * @param exports where and how exports are written
 */
public record ApiSettings(
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String kafkaBootstrapServers,
        String repredictionsTopic,
        String bindAddress,
        int port,
        Map<Tier, Integer> requestsPerMinute,
        List<String> corsOrigins,
        Path modelDir,
        String flinkRestUrl,
        long maxBodyBytes,
        int maxBatchSymbols,
        int dbPoolSize,
        Duration staleAfter,
        Forecasting forecasting,
        ApiTopics topics,
        StreamSettings streams,
        WebhookSettings webhooks,
        ExportSettings exports) {

    public static final Map<Tier, Integer> DEFAULT_LIMITS =
            Map.of(Tier.DEFAULT, 100, Tier.PREMIUM, 1_000, Tier.ADMIN, 10_000);

    public ApiSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        jdbcUser = jdbcUser == null ? "" : jdbcUser;
        jdbcPassword = jdbcPassword == null ? "" : jdbcPassword;
        requestsPerMinute = Map.copyOf(requestsPerMinute);
        corsOrigins = List.copyOf(corsOrigins);
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(exports, "exports");
    }

    /** Settings with the defaults for everything but the database and the broker. */
    public static ApiSettings defaults(
            String jdbcUrl, String jdbcUser, String jdbcPassword, String kafkaBootstrapServers) {
        return new ApiSettings(
                jdbcUrl,
                jdbcUser,
                jdbcPassword,
                kafkaBootstrapServers,
                "barcast.repredictions",
                "127.0.0.1",
                0,
                DEFAULT_LIMITS,
                List.of(),
                Path.of("models"),
                null,
                1 << 20,
                100,
                8,
                Duration.ofHours(1),
                null,
                ApiTopics.defaults(),
                StreamSettings.defaults(),
                WebhookSettings.defaults(),
                ExportSettings.defaults());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public ApiSettings withPort(int newPort) {
        return toBuilder().port(newPort).build();
    }

    public ApiSettings withLimits(Map<Tier, Integer> limits) {
        return toBuilder().requestsPerMinute(limits).build();
    }

    public ApiSettings withModelDir(Path dir) {
        return toBuilder().modelDir(dir).build();
    }

    /** Never the password: settings end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "ApiSettings["
                + jdbcUrl
                + ", kafka "
                + kafkaBootstrapServers
                + ", "
                + bindAddress
                + ":"
                + port
                + ", limits "
                + requestsPerMinute
                + "]";
    }

    /** Settings like others but for what is set here. */
    public static final class Builder {
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private String kafkaBootstrapServers;
        private String repredictionsTopic;
        private String bindAddress;
        private int port;
        private Map<Tier, Integer> requestsPerMinute;
        private List<String> corsOrigins;
        private Path modelDir;
        private String flinkRestUrl;
        private long maxBodyBytes;
        private int maxBatchSymbols;
        private int dbPoolSize;
        private Duration staleAfter;
        private Forecasting forecasting;
        private ApiTopics topics;
        private StreamSettings streams;
        private WebhookSettings webhooks;
        private ExportSettings exports;

        private Builder(ApiSettings from) {
            jdbcUrl = from.jdbcUrl;
            jdbcUser = from.jdbcUser;
            jdbcPassword = from.jdbcPassword;
            kafkaBootstrapServers = from.kafkaBootstrapServers;
            repredictionsTopic = from.repredictionsTopic;
            bindAddress = from.bindAddress;
            port = from.port;
            requestsPerMinute = from.requestsPerMinute;
            corsOrigins = from.corsOrigins;
            modelDir = from.modelDir;
            flinkRestUrl = from.flinkRestUrl;
            maxBodyBytes = from.maxBodyBytes;
            maxBatchSymbols = from.maxBatchSymbols;
            dbPoolSize = from.dbPoolSize;
            staleAfter = from.staleAfter;
            forecasting = from.forecasting;
            topics = from.topics;
            streams = from.streams;
            webhooks = from.webhooks;
            exports = from.exports;
        }

        public Builder repredictionsTopic(String topic) {
            this.repredictionsTopic = topic;
            return this;
        }

        public Builder bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        public Builder port(int newPort) {
            this.port = newPort;
            return this;
        }

        public Builder requestsPerMinute(Map<Tier, Integer> limits) {
            this.requestsPerMinute = limits;
            return this;
        }

        public Builder corsOrigins(List<String> origins) {
            this.corsOrigins = origins;
            return this;
        }

        public Builder modelDir(Path dir) {
            this.modelDir = dir;
            return this;
        }

        public Builder flinkRestUrl(String url) {
            this.flinkRestUrl = url;
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder maxBatchSymbols(int symbols) {
            this.maxBatchSymbols = symbols;
            return this;
        }

        public Builder dbPoolSize(int size) {
            this.dbPoolSize = size;
            return this;
        }

        public Builder staleAfter(Duration age) {
            this.staleAfter = age;
            return this;
        }

        public Builder forecasting(Forecasting setup) {
            this.forecasting = setup;
            return this;
        }

        public Builder topics(ApiTopics names) {
            this.topics = names;
            return this;
        }

        public Builder streams(StreamSettings settings) {
            this.streams = settings;
            return this;
        }

        public Builder webhooks(WebhookSettings settings) {
            this.webhooks = settings;
            return this;
        }

        public Builder exports(ExportSettings settings) {
            this.exports = settings;
            return this;
        }

        public ApiSettings build() {
            return new ApiSettings(
                    jdbcUrl,
                    jdbcUser,
                    jdbcPassword,
                    kafkaBootstrapServers,
                    repredictionsTopic,
                    bindAddress,
                    port,
                    requestsPerMinute,
                    corsOrigins,
                    modelDir,
                    flinkRestUrl,
                    maxBodyBytes,
                    maxBatchSymbols,
                    dbPoolSize,
                    staleAfter,
                    forecasting,
                    topics,
                    streams,
                    webhooks,
                    exports);
        }
    }
}
