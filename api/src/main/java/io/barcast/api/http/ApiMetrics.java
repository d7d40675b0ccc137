package io.barcast.api.http;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The API's Prometheus metrics, served at {@code /metrics}: requests and their latency by route
 * (the route's template, never the raw path, so a symbol or a key cannot become a label), method
 * and status; rate-limit rejections by tier; the database pool's connections.
 */
public final class ApiMetrics {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests =
            Counter.builder()
                    .name("barcast_api_requests_total")
                    .help("HTTP requests answered, by route template, method and status")
                    .labelNames("route", "method", "status")
                    .register(registry);
    private final Histogram latency =
            Histogram.builder()
                    .name("barcast_api_request_duration_seconds")
                    .help("Time to answer a request, by route template and method")
                    .labelNames("route", "method")
                    .classicUpperBounds(
                            0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
                    .register(registry);
    private final Counter rateLimited =
            Counter.builder()
                    .name("barcast_api_rate_limited_total")
                    .help("Requests refused with 429, by the caller's tier")
                    .labelNames("tier")
                    .register(registry);

    public ApiMetrics(HikariDataSource pool) {
        GaugeWithCallback.builder()
                .name("barcast_api_db_connections")
                .help("Connections of the database pool, by state")
                .labelNames("state")
                .callback(
                        callback -> {
                            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                            if (bean != null) {
                                callback.call(bean.getActiveConnections(), "active");
                                callback.call(bean.getIdleConnections(), "idle");
                                callback.call(bean.getThreadsAwaitingConnection(), "waiting");
                            }
                        })
                .register(registry);
        GaugeWithCallback.builder()
                .name("barcast_api_db_connections_max")
                .help("Largest size of the database pool")
                .callback(callback -> callback.call(pool.getMaximumPoolSize()))
                .register(registry);
    }

    public void request(String route, String method, int status, double seconds) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route, method).observe(seconds);
    }

    public void rateLimited(String tier) {
        rateLimited.labelValues(tier).inc();
    }

    /** The registry, for parts that add metrics of their own. */
    public PrometheusRegistry registry() {
        return registry;
    }

    public byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toByteArray();
    }
}
