package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.query.RecommendationQueries;
import io.barcast.core.Recommendation;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * {@code GET /api/v1/recommendations} (the active trades; symbols, side, min_confidence) and {@code
 * GET /api/v1/recommendations/{symbol}} (a symbol's, by status), both newest created first and
 * paged.
 */
public final class RecommendationRoutes implements ApiRoutes {

    private static final String ALL = "all";
    private static final Set<String> STATUSES =
            Set.of(Recommendation.ACTIVE, Recommendation.SUPERSEDED, Recommendation.EXPIRED, ALL);

    private final RecommendationQueries queries;

    public RecommendationRoutes(ApiContext api) {
        this.queries = new RecommendationQueries(api.db());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/recommendations", this::active, Tier.DEFAULT);
        routes.get("/api/v1/recommendations/{symbol}", this::ofSymbol, Tier.DEFAULT);
    }

    private void active(Context ctx) throws Exception {
        Params params = Params.of(ctx, "symbols", "side", "min_confidence", "limit", "cursor");
        ctx.json(
                queries.active(
                        ListingParams.symbols(params),
                        params.choice("side", ListingParams.SIDES),
                        params.number("min_confidence", 0, 1),
                        Page.limit(params),
                        params.cursor("cursor")));
    }

    private void ofSymbol(Context ctx) throws Exception {
        Params params = Params.of(ctx, "status", "limit", "cursor");
        String symbol = Params.pathSymbol(ctx, "symbol");
        String status = params.choice("status", STATUSES);
        ctx.json(
                queries.ofSymbol(
                        symbol,
                        ALL.equals(status) ? null : status,
                        Page.limit(params),
                        params.cursor("cursor")));
    }
}
