package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.query.TradeOutcomeQueries;
import io.barcast.core.TradeOutcome;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * {@code GET /api/v1/trade-outcomes} (each trade, newest exit first, paged) and {@code GET
 * /api/v1/trade-outcomes/summary} (per symbol and side, as the trade_success view counts); both
 * over exit times in [from, to).
 */
public final class TradeOutcomeRoutes implements ApiRoutes {

    private static final Set<String> OUTCOMES =
            Set.of(
                    TradeOutcome.TARGET_HIT,
                    TradeOutcome.STOP_HIT,
                    TradeOutcome.EXPIRED,
                    TradeOutcome.MISSED);

    private final TradeOutcomeQueries queries;

    public TradeOutcomeRoutes(ApiContext api) {
        this.queries = new TradeOutcomeQueries(api.db());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/trade-outcomes", this::outcomes, Tier.DEFAULT);
        routes.get("/api/v1/trade-outcomes/summary", this::summary, Tier.DEFAULT);
    }

    private void outcomes(Context ctx) throws Exception {
        Params params =
                Params.of(ctx, "symbols", "side", "outcome", "from", "to", "limit", "cursor");
        ctx.json(
                queries.outcomes(
                        ListingParams.symbols(params),
                        params.choice("side", ListingParams.SIDES),
                        params.choice("outcome", OUTCOMES),
                        params.instant("from"),
                        params.instant("to"),
                        Page.limit(params),
                        params.cursor("cursor")));
    }

    private void summary(Context ctx) throws Exception {
        Params params = Params.of(ctx, "symbols", "from", "to");
        ctx.json(
                Page.whole(
                        queries.summary(
                                ListingParams.symbols(params),
                                params.instant("from"),
                                params.instant("to"))));
    }
}
