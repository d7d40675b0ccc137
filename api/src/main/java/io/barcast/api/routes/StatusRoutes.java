package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.Params;
import io.barcast.api.query.FlinkJobOverview;
import io.barcast.api.query.StatusQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@code GET /api/v1/status}: how fresh barcast's bars and forecasts are, what it made in the last
 * hour, and its Flink job's state when the API knows where the job runs ({@code flinkRestUrl}).
 */
public final class StatusRoutes implements ApiRoutes {

    private final StatusQueries queries;
    private final FlinkJobOverview flink;

    public StatusRoutes(ApiContext api) {
        this.queries = new StatusQueries(api.db());
        String flinkRestUrl = api.settings().flinkRestUrl();
        this.flink =
                flinkRestUrl == null || flinkRestUrl.isBlank()
                        ? null
                        : new FlinkJobOverview(flinkRestUrl, api.mapper());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/status", this::status, Tier.DEFAULT);
    }

    private void status(Context ctx) throws SQLException {
        Params.of(ctx);
        Instant now = Instant.now();
        ctx.json(queries.status(now, flink == null ? null : flink.current()));
    }
}
