package io.barcast.api;

import io.barcast.api.auth.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the API service needs to start: where the sink tables and the broker are, where it listens,
 * and its limits. Built from the {@code api.*}, {@code jdbc.*} and {@code kafka.*} options by the
 * command line; tests build it directly.
 *
 * @param jdbcUrl PostgreSQL holding the sink tables and the API's own tables (keys, limits)
 * @param kafkaBootstrapServers the broker; null when there is none (control and readiness say so)
 * @param repredictionsTopic where a manual reprediction request goes
 * @param bindAddress the address the server listens on (127.0.0.1 keeps it on this machine)
 * @param port the port; 0 picks a free one
 * @param requestsPerMinute the rate limit of each tier
 * @param corsOrigins origins a browser may call the API from; empty: none
 * @param modelDir the model folders, for the models endpoint and predict
 * @param flinkRestUrl the Flink REST API of the job, for the status endpoint; null when unknown
 * @param maxBodyBytes the largest request body accepted
 * @param maxBatchSymbols the most symbols a batch call may ask for
 * @param dbPoolSize connections in the database pool
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
        Duration staleAfter) {

    public static final Map<Tier, Integer> DEFAULT_LIMITS =
            Map.of(Tier.DEFAULT, 100, Tier.PREMIUM, 1_000, Tier.ADMIN, 10_000);

    public ApiSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        jdbcUser = jdbcUser == null ? "" : jdbcUser;
        jdbcPassword = jdbcPassword == null ? "" : jdbcPassword;
        requestsPerMinute = Map.copyOf(requestsPerMinute);
        corsOrigins = List.copyOf(corsOrigins);
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
                Duration.ofHours(1));
    }

    public ApiSettings withPort(int newPort) {
        return new ApiSettings(
                jdbcUrl,
                jdbcUser,
                jdbcPassword,
                kafkaBootstrapServers,
                repredictionsTopic,
                bindAddress,
                newPort,
                requestsPerMinute,
                corsOrigins,
                modelDir,
                flinkRestUrl,
                maxBodyBytes,
                maxBatchSymbols,
                dbPoolSize,
                staleAfter);
    }

    public ApiSettings withLimits(Map<Tier, Integer> limits) {
        return new ApiSettings(
                jdbcUrl,
                jdbcUser,
                jdbcPassword,
                kafkaBootstrapServers,
                repredictionsTopic,
                bindAddress,
                port,
                limits,
                corsOrigins,
                modelDir,
                flinkRestUrl,
                maxBodyBytes,
                maxBatchSymbols,
                dbPoolSize,
                staleAfter);
    }

    public ApiSettings withModelDir(Path dir) {
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
                dir,
                flinkRestUrl,
                maxBodyBytes,
                maxBatchSymbols,
                dbPoolSize,
                staleAfter);
    }

    public ApiSettings withFlinkRestUrl(String url) {
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
                url,
                maxBodyBytes,
                maxBatchSymbols,
                dbPoolSize,
                staleAfter);
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
}
