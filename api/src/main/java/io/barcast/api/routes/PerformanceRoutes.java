package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.query.PerformanceQueries;
import io.barcast.api.query.ValidationQueries;
import io.barcast.core.Accuracy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * How good the forecasts were: {@code GET /api/v1/performance} (per symbol and horizon over a
 * period), {@code GET /api/v1/performance/daily} (one symbol per UTC day) and the points they come
 * from, {@code GET /api/v1/validations/{symbol}} (newest target bar first, paged). Periods are on
 * the target bar's time, [from, to).
 */
public final class PerformanceRoutes implements ApiRoutes {

    private static final Set<String> HORIZONS = Set.copyOf(Accuracy.HORIZONS);

    private final PerformanceQueries performance;
    private final ValidationQueries validations;

    public PerformanceRoutes(ApiContext api) {
        this.performance = new PerformanceQueries(api.db());
        this.validations = new ValidationQueries(api.db());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/performance", this::bySymbol, Tier.DEFAULT);
        routes.get("/api/v1/performance/daily", this::daily, Tier.DEFAULT);
        routes.get("/api/v1/validations/{symbol}", this::validations, Tier.DEFAULT);
    }

    private void bySymbol(Context ctx) throws Exception {
        Params params = Params.of(ctx, "symbols", "horizon", "from", "to");
        ctx.json(
                Page.whole(
                        performance.bySymbol(
                                ListingParams.symbols(params),
                                params.choice("horizon", HORIZONS),
                                params.instant("from"),
                                params.instant("to"))));
    }

    private void daily(Context ctx) throws Exception {
        Params params = Params.of(ctx, "symbol", "horizon", "from", "to");
        String symbol = params.symbol("symbol");
        if (symbol == null) {
            throw ApiProblem.badParameter("symbol", "symbol is required, e.g. symbol=X:BTCUSD");
        }
        ctx.json(
                Page.whole(
                        performance.daily(
                                symbol,
                                params.choice("horizon", HORIZONS),
                                params.instant("from"),
                                params.instant("to"))));
    }

    private void validations(Context ctx) throws Exception {
        Params params = Params.of(ctx, "from", "to", "limit", "cursor");
        String symbol = Params.pathSymbol(ctx, "symbol");
        ctx.json(
                validations.ofSymbol(
                        symbol,
                        params.instant("from"),
                        params.instant("to"),
                        Page.limit(params),
                        params.cursor("cursor")));
    }
}
