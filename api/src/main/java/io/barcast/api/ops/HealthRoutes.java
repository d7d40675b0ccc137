package io.barcast.api.ops;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiMetrics;
import io.barcast.api.http.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The probes and the scrape endpoint, all without a key: {@code GET /health} (the process answers),
 * {@code GET /ready} (the database and the broker answer; 503 otherwise) and {@code GET /metrics}
 * (Prometheus text).
 */
public final class HealthRoutes implements ApiRoutes {

    private final ApiContext api;

    public HealthRoutes(ApiContext api) {
        this.api = api;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/health", this::health, Tier.PUBLIC);
        routes.get("/ready", this::ready, Tier.PUBLIC);
        routes.get("/metrics", this::metrics, Tier.PUBLIC);
    }

    private void health(Context ctx) {
        Params.of(ctx);
        ctx.json(Map.of("status", "up"));
    }

    private void ready(Context ctx) {
        Params.of(ctx);
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("database", database());
        checks.put("kafka", kafka());
        boolean ready =
                checks.values().stream()
                        .allMatch(s -> s.equals("up") || s.equals("not configured"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not ready");
        body.put("checks", checks);
        ctx.status(ready ? 200 : 503).json(body);
    }

    private String database() {
        try (Connection c = api.db().getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
            return "up";
        } catch (Exception e) {
            return "down";
        }
    }

    private String kafka() {
        if (api.admin() == null) {
            return "not configured";
        }
        try {
            api.admin().describeCluster().clusterId().get(3, TimeUnit.SECONDS);
            return "up";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down";
        } catch (Exception e) {
            return "down";
        }
    }

    private void metrics(Context ctx) throws Exception {
        Params.of(ctx);
        ctx.contentType(ApiMetrics.CONTENT_TYPE).result(api.metrics().scrape());
    }
}
