package io.barcast.jobs.local;

import io.barcast.api.ApiSettings;
import io.barcast.api.ApiTopics;
import io.barcast.api.Forecasting;
import io.barcast.api.auth.Tier;
import io.barcast.api.export.ExportSettings;
import io.barcast.api.stream.StreamSettings;
import io.barcast.api.webhook.WebhookSettings;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.jobs.Databases;
import io.barcast.jobs.ForecastSettings;
import io.barcast.jobs.Models;
import io.barcast.jobs.options.ApiOptions;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.PipelineOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * The query API's settings from barcast's options: the same database, broker, models and forecast
 * settings as the job, so that predict forecasts as the job does.
 */
public final class ApiSetup {

    private ApiSetup() {}

    /** Predict forecasts with the job's own model folders and forecast settings. */
    public static Forecasting forecasting(BarcastConfig config) {
        SymbolCalendars calendars = ForecastSettings.calendars(config);
        return new Forecasting(
                Models.location(config, calendars),
                ForecastSettings.tracker(config, calendars),
                config.get(InferenceOptions.BATCH_SIZE),
                config.get(InferenceOptions.BATCH_WAIT),
                config.get(InferenceOptions.MODEL_RELOAD_INTERVAL));
    }

    /** The service's settings from the options; {@code jdbc.url} is required. */
    public static ApiSettings settingsOf(BarcastConfig config) {
        Databases.of(config); // names jdbc.url when it is missing
        return ApiSettings.defaults(
                        config.get(JdbcOptions.URL),
                        config.get(JdbcOptions.USER),
                        config.get(JdbcOptions.PASSWORD),
                        config.isSet(KafkaOptions.BOOTSTRAP_SERVERS)
                                ? config.get(KafkaOptions.BOOTSTRAP_SERVERS)
                                : null)
                .toBuilder()
                .repredictionsTopic(config.get(KafkaOptions.TOPIC_REPREDICTIONS))
                .bindAddress(config.get(PipelineOptions.BIND_ADDRESS).trim())
                .port(config.get(ApiOptions.PORT))
                .requestsPerMinute(
                        Map.of(
                                Tier.DEFAULT, config.get(ApiOptions.LIMIT_DEFAULT),
                                Tier.PREMIUM, config.get(ApiOptions.LIMIT_PREMIUM),
                                Tier.ADMIN, config.get(ApiOptions.LIMIT_ADMIN)))
                .corsOrigins(config.get(ApiOptions.CORS_ORIGINS))
                .modelDir(Path.of(config.get(InferenceOptions.MODEL_DIR)))
                .flinkRestUrl(
                        config.isSet(ApiOptions.FLINK_REST_URL)
                                ? config.get(ApiOptions.FLINK_REST_URL)
                                : null)
                .maxBodyBytes(config.get(ApiOptions.MAX_BODY_BYTES))
                .maxBatchSymbols(config.get(ApiOptions.BATCH_MAX_SYMBOLS))
                .dbPoolSize(config.get(ApiOptions.DB_POOL_SIZE))
                .staleAfter(config.get(ApiOptions.STALE_AFTER))
                .forecasting(forecasting(config))
                .topics(topicsOf(config))
                .webhooks(webhooksOf(config))
                .exports(exportsOf(config))
                .streams(
                        new StreamSettings(
                                config.get(ApiOptions.STREAM_CLIENT_BUFFER),
                                config.get(ApiOptions.STREAM_HEARTBEAT),
                                config.get(ApiOptions.STREAM_TOKEN_LIFETIME),
                                config.get(ApiOptions.STREAM_MAX_CLIENTS)))
                .build();
    }

    /** How webhooks are delivered, from the {@code api.webhooks.*} options. */
    public static WebhookSettings webhooksOf(BarcastConfig config) {
        return new WebhookSettings(
                config.get(ApiOptions.WEBHOOKS_ALLOWED_HOSTS),
                config.get(ApiOptions.WEBHOOKS_TIMEOUT),
                config.get(ApiOptions.WEBHOOKS_MAX_ATTEMPTS),
                config.get(ApiOptions.WEBHOOKS_DISABLE_AFTER),
                config.get(ApiOptions.WEBHOOKS_SENDERS),
                config.get(ApiOptions.WEBHOOKS_MAX_PER_KEY),
                config.get(ApiOptions.WEBHOOKS_RETENTION),
                config.get(ApiOptions.WEBHOOKS_RETRY_BACKOFF));
    }

    /** Where and how exports are written, and each tier's limits (0 rows: no cap). */
    public static ExportSettings exportsOf(BarcastConfig config) {
        ExportSettings defaults = ExportSettings.defaults();
        return new ExportSettings(
                config.isSet(ApiOptions.EXPORTS_DIR)
                        ? Path.of(config.get(ApiOptions.EXPORTS_DIR).trim())
                        : defaults.dir(),
                config.get(ApiOptions.EXPORTS_WORKERS),
                config.get(ApiOptions.EXPORTS_EXPIRE_AFTER),
                Map.of(
                        Tier.DEFAULT,
                        limits(
                                config.get(ApiOptions.EXPORTS_MAX_ROWS_DEFAULT),
                                config.get(ApiOptions.EXPORTS_MAX_ACTIVE_DEFAULT)),
                        Tier.PREMIUM,
                        limits(
                                config.get(ApiOptions.EXPORTS_MAX_ROWS_PREMIUM),
                                config.get(ApiOptions.EXPORTS_MAX_ACTIVE_PREMIUM)),
                        Tier.ADMIN,
                        limits(
                                config.get(ApiOptions.EXPORTS_MAX_ROWS_ADMIN),
                                config.get(ApiOptions.EXPORTS_MAX_ACTIVE_ADMIN))));
    }

    private static ExportSettings.ExportLimits limits(long maxRows, int maxActive) {
        return new ExportSettings.ExportLimits(
                maxRows == 0 ? ExportSettings.ExportLimits.UNLIMITED_ROWS : maxRows, maxActive);
    }

    /** The job's result topics, as the job names them. */
    public static ApiTopics topicsOf(BarcastConfig config) {
        return new ApiTopics(
                config.get(KafkaOptions.TOPIC_PREDICTIONS),
                config.get(KafkaOptions.TOPIC_RECOMMENDATIONS),
                config.get(KafkaOptions.TOPIC_VALIDATIONS),
                config.get(KafkaOptions.TOPIC_ALERTS),
                config.get(KafkaOptions.TOPIC_TRADE_OUTCOMES),
                config.get(KafkaOptions.TOPIC_RETRAINS));
    }
}
