package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.query.BarQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

/**
 * The actual bars the forecasts are made from and checked against: {@code GET
 * /api/v1/bars/{symbol}}, newest first unless {@code order=oldest}, paged, in [from, to) of the
 * bar's start. What a chart of the closes beside a forecast needs.
 */
public final class BarRoutes implements ApiRoutes {

    private static final Set<String> ORDERS = Set.of("newest", "oldest");

    private final BarQueries bars;

    public BarRoutes(ApiContext api) {
        this.bars = new BarQueries(api.db());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/bars/{symbol}", this::bars, Tier.DEFAULT);
    }

    private void bars(Context ctx) throws SQLException {
        Params params = Params.of(ctx, "from", "to", "order", "limit", "cursor");
        String symbol = Params.pathSymbol(ctx, "symbol");
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        Params.requireOrdered(from, to);
        ctx.json(
                bars.bars(
                        symbol,
                        from,
                        to,
                        "oldest".equals(params.choice("order", ORDERS)),
                        Page.limit(params),
                        params.timeCursor("cursor")));
    }
}
