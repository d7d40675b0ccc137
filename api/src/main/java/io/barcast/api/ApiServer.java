package io.barcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.auth.Tier;
import io.barcast.api.dashboard.DashboardFiles;
import io.barcast.api.export.ExportRoutes;
import io.barcast.api.http.AccessLog;
import io.barcast.api.http.ApiMetrics;
import io.barcast.api.http.JettyProblems;
import io.barcast.api.http.Problems;
import io.barcast.api.http.RequestIds;
import io.barcast.api.limits.RateLimits;
import io.barcast.api.ops.HealthRoutes;
import io.barcast.api.ops.OpenApiRoutes;
import io.barcast.api.routes.AlertRoutes;
import io.barcast.api.routes.BarRoutes;
import io.barcast.api.routes.ControlRoutes;
import io.barcast.api.routes.ModelRoutes;
import io.barcast.api.routes.PerformanceRoutes;
import io.barcast.api.routes.PredictRoutes;
import io.barcast.api.routes.PredictionRoutes;
import io.barcast.api.routes.RecommendationRoutes;
import io.barcast.api.routes.StatusRoutes;
import io.barcast.api.routes.TradeOutcomeRoutes;
import io.barcast.api.stream.StreamHub;
import io.barcast.api.stream.StreamRoutes;
import io.barcast.api.stream.StreamTokens;
import io.barcast.api.webhook.WebhookDispatcher;
import io.barcast.api.webhook.WebhookGuard;
import io.barcast.api.webhook.WebhookMetrics;
import io.barcast.api.webhook.WebhookRoutes;
import io.barcast.api.webhook.WebhookSender;
import io.barcast.core.json.Json;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The query API service: Javalin (Jetty 12) over a HikariCP pool of the sink tables, with a Kafka
 * producer for control requests. It keeps no state of its own outside PostgreSQL, so any number of
 * instances can run behind a load balancer. {@link #start()} listens; {@link #close()} stops
 * everything it started.
 */
public final class ApiServer implements AutoCloseable {

    private final ApiSettings settings;
    private final HikariDataSource pool;
    private final Producer<String, String> producer;
    private final Admin admin;
    private final ApiContext context;
    private final RateLimits rateLimits;
    private final Javalin app;
    private final PredictRoutes predict;

    /** Started after the server listens, closed in reverse order before the pool closes. */
    private final List<ApiService> services = new ArrayList<>();

    public ApiServer(ApiSettings settings) {
        this.settings = settings;
        this.pool = pool(settings);
        boolean kafka =
                settings.kafkaBootstrapServers() != null
                        && !settings.kafkaBootstrapServers().isBlank();
        this.producer = kafka ? producer(settings.kafkaBootstrapServers()) : null;
        this.admin = kafka ? admin(settings.kafkaBootstrapServers()) : null;
        ObjectMapper mapper = mapper();
        ApiMetrics metrics = new ApiMetrics(pool);
        this.context = new ApiContext(settings, pool, mapper, metrics, producer, admin);
        List<ApiRoutes> groups = new ArrayList<>();
        groups.add(new HealthRoutes(context));
        groups.add(new OpenApiRoutes());
        groups.add(new ControlRoutes(context));
        this.predict = new PredictRoutes(context);
        groups.add(predict);
        groups.add(new RecommendationRoutes(context));
        groups.add(new TradeOutcomeRoutes(context));
        groups.add(new PerformanceRoutes(context));
        groups.add(new AlertRoutes(context));
        groups.add(new PredictionRoutes(context));
        groups.add(new StatusRoutes(context));
        groups.add(new ModelRoutes(context));
        groups.add(new BarRoutes(context));
        WebhookGuard guard = new WebhookGuard(settings.webhooks().allowedHosts());
        WebhookMetrics webhookMetrics = new WebhookMetrics(metrics.registry());
        WebhookSender webhookSender =
                new WebhookSender(settings.webhooks(), pool, guard, webhookMetrics);
        groups.add(new WebhookRoutes(context, guard, webhookSender::wake));
        services.add(webhookSender);
        if (kafka) {
            services.add(
                    new WebhookDispatcher(
                            settings.kafkaBootstrapServers(),
                            settings.topics(),
                            pool,
                            webhookMetrics,
                            webhookSender::wake));
        }
        ExportRoutes exports = new ExportRoutes(context);
        groups.add(exports);
        services.add(exports.service());
        StreamTokens streamTokens = new StreamTokens(pool, settings.streams().tokenLifetime());
        StreamHub streamHub =
                kafka
                        ? new StreamHub(
                                settings.kafkaBootstrapServers(),
                                admin,
                                settings.topics(),
                                settings.streams(),
                                metrics.registry(),
                                streamTokens::revokedAmong)
                        : null;
        StreamRoutes streams = new StreamRoutes(context, streamHub, streamTokens);
        groups.add(streams);
        services.add(streamTokens);
        if (streamHub != null) {
            services.add(streamHub);
        }
        KeyCheck keyCheck = new KeyCheck(new ApiKeys(pool), streamTokens);
        this.rateLimits = new RateLimits(pool, settings.requestsPerMinute(), metrics);
        Problems problems = new Problems();
        AccessLog accessLog = new AccessLog(mapper, metrics, KeyCheck::callerId);
        this.app =
                Javalin.create(
                        config -> {
                            config.startup.showJavalinBanner = false;
                            config.jetty.host = settings.bindAddress();
                            config.jetty.port = settings.port();
                            config.http.maxRequestSize = settings.maxBodyBytes();
                            config.http.defaultContentType = "application/json";
                            config.jsonMapper(new JavalinJackson(mapper, false));
                            if (!settings.corsOrigins().isEmpty()) {
                                config.bundledPlugins.enableCors(
                                        cors ->
                                                cors.addRule(
                                                        rule -> {
                                                            for (String origin :
                                                                    settings.corsOrigins()) {
                                                                rule.allowHost(origin);
                                                            }
                                                            rule.exposeHeader(RequestIds.HEADER);
                                                            rule.exposeHeader("ETag");
                                                            rule.exposeHeader("Retry-After");
                                                            rule.exposeHeader(RateLimits.LIMIT);
                                                            rule.exposeHeader(RateLimits.REMAINING);
                                                            rule.exposeHeader(RateLimits.RESET);
                                                            rule.exposeHeader(RateLimits.POLICY);
                                                        }));
                            }
                            // the page that shows all this: static files, not routes
                            DashboardFiles.install(config);
                            config.requestLogger.http(accessLog::log);
                            problems.install(config);
                            JettyProblems.install(config);
                            config.routes.before(RequestIds::assign);
                            config.routes.beforeMatched(keyCheck::check);
                            // after the key check: it names the caller, and refuses those the
                            // limits never see
                            config.routes.beforeMatched(rateLimits::check);
                            // a WebSocket upgrade passes no beforeMatched handler: the same
                            // checks, before Jetty upgrades the connection
                            config.routes.wsBeforeUpgrade(
                                    StreamRoutes.WS_PATH,
                                    ctx -> {
                                        RequestIds.assign(ctx);
                                        streams.beforeUpgrade(ctx, keyCheck, rateLimits::check);
                                    });
                            for (ApiRoutes group : groups) {
                                group.addTo(config.routes);
                            }
                        });
    }

    /** Starts listening; returns this server. */
    public ApiServer start() {
        app.start();
        rateLimits.startCleaning();
        for (ApiService service : services) {
            service.start();
        }
        return this;
    }

    /** The port it listens on (the chosen one when the settings asked for 0). */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        String host = settings.bindAddress();
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            host = "127.0.0.1";
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public ApiContext context() {
        return context;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    /**
     * An HTTP route the server answers: method, path template, the lowest tier that may call it.
     */
    public record Route(String method, String path, Tier tier) {}

    /**
     * Every HTTP route the server answers, sorted by path and method; what the OpenAPI document
     * must describe. Read from Javalin's router (its {@code unsafe} state is the only place that
     * lists them).
     */
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (endpoint.method.isHttpMethod()) {
                Roles roles = endpoint.metadata(Roles.class);
                Tier tier = Tier.lowestOf(roles == null ? Set.of() : roles.getRoles());
                routes.add(new Route(endpoint.method.name(), endpoint.path, tier));
            }
        }
        routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
        return routes;
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).close();
            }
            rateLimits.close();
            try {
                predict.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (producer != null) {
                producer.close();
            }
            if (admin != null) {
                admin.close();
            }
            pool.close();
        }
    }

    /** The JSON of every response: snake_case names, times as ISO-8601 text in UTC. */
    public static ObjectMapper mapper() {
        ObjectMapper mapper = Json.newMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return mapper;
    }

    private static HikariDataSource pool(ApiSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("barcast-api");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.jdbcUser());
        config.setPassword(settings.jdbcPassword());
        config.setMaximumPoolSize(settings.dbPoolSize());
        config.setConnectionTimeout(5_000);
        // the API starts even while the database is down; /ready says so until it is back
        config.setInitializationFailTimeout(-1);
        // The API writes only its own bookkeeping (a rate-limit bucket on every call, keys now and
        // then): waiting for each of those commits to reach the disk doubled a read's latency, and
        // a crash loses at most the last moments of bucket use. Reads are unaffected.
        config.setConnectionInitSql("SET synchronous_commit = off");
        return new HikariDataSource(config);
    }

    private static Producer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "barcast-api");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "barcast-api-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        return Admin.create(props);
    }
}
