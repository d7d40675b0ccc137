package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.query.AlertQueries;
import io.barcast.api.query.DeadLetterQueries;
import io.barcast.core.Alert;
import io.barcast.core.DeadLetter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * What went wrong: {@code GET /api/v1/alerts} (newest raised first) and, for the admin tier only
 * since payloads are raw input, {@code GET /api/v1/dead-letters} (newest first seen first); both
 * paged, from {@code since} on.
 */
public final class AlertRoutes implements ApiRoutes {

    private static final Set<String> CATEGORIES = Set.copyOf(Alert.CATEGORIES);
    private static final Set<String> SEVERITIES = Set.copyOf(Alert.SEVERITIES);
    private static final Set<String> STAGES = Set.copyOf(DeadLetter.STAGES);

    private final AlertQueries alerts;
    private final DeadLetterQueries deadLetters;

    public AlertRoutes(ApiContext api) {
        this.alerts = new AlertQueries(api.db());
        this.deadLetters = new DeadLetterQueries(api.db());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/alerts", this::alerts, Tier.DEFAULT);
        routes.get("/api/v1/dead-letters", this::deadLetters, Tier.ADMIN);
    }

    private void alerts(Context ctx) throws Exception {
        Params params =
                Params.of(ctx, "since", "category", "severity", "symbol", "limit", "cursor");
        ctx.json(
                alerts.alerts(
                        params.instant("since"),
                        params.choice("category", CATEGORIES),
                        params.choice("severity", SEVERITIES),
                        params.symbol("symbol"),
                        Page.limit(params),
                        params.cursor("cursor")));
    }

    private void deadLetters(Context ctx) throws Exception {
        Params params = Params.of(ctx, "since", "stage", "symbol", "limit", "cursor");
        ctx.json(
                deadLetters.deadLetters(
                        params.instant("since"),
                        params.choice("stage", STAGES),
                        params.symbol("symbol"),
                        Page.limit(params),
                        params.cursor("cursor")));
    }
}
