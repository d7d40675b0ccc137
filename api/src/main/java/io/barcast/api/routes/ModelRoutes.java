package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.query.ModelQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

/**
 * {@code GET /api/v1/models}: the models in the API's model folder, each with what its {@code
 * model.json} says and the forecasts it made in the last 24 hours.
 */
public final class ModelRoutes implements ApiRoutes {

    private final ModelQueries queries;

    public ModelRoutes(ApiContext api) {
        this.queries = new ModelQueries(api.db(), api.settings().modelDir());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/models", this::models, Tier.DEFAULT);
    }

    private void models(Context ctx) throws SQLException, IOException {
        Params.of(ctx);
        // one page: a listing like every other, though model folders are few
        ctx.json(Page.whole(queries.models(Instant.now())));
    }
}
