package io.barcast.api.routes;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.JsonBody;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.query.Forecast;
import io.barcast.api.query.ForecastBatch;
import io.barcast.api.query.ForecastSummary;
import io.barcast.api.query.PredictionQueries;
import io.barcast.core.confidence.ConfidenceLevel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The forecasts: each symbol's latest ({@code GET /api/v1/predictions}), one symbol's in full with
 * an ETag ({@code GET /api/v1/predictions/{symbol}}), one symbol's history, and the latest of many
 * symbols in one call ({@code POST /api/v1/predictions/batch}), for bots that poll a watch list.
 */
public final class PredictionRoutes implements ApiRoutes {

    private static final int MAX_SYMBOLS = 100;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final Set<String> LEVELS =
            Arrays.stream(ConfidenceLevel.values())
                    .map(ConfidenceLevel::label)
                    .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> DETAILS = Set.of("summary", "full");

    private final ApiContext api;
    private final PredictionQueries queries;
    private final JsonBody body;

    public PredictionRoutes(ApiContext api) {
        this.api = api;
        this.queries = new PredictionQueries(api.db());
        this.body = new JsonBody(api.mapper(), api.settings().maxBodyBytes());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/predictions", this::latest, Tier.DEFAULT);
        routes.post("/api/v1/predictions/batch", this::batch, Tier.DEFAULT);
        routes.get("/api/v1/predictions/{symbol}", this::newest, Tier.DEFAULT);
        routes.get("/api/v1/predictions/{symbol}/history", this::history, Tier.DEFAULT);
    }

    private void latest(Context ctx) throws SQLException {
        Params params = Params.of(ctx, "symbols", "min_confidence", "level", "limit", "cursor");
        ctx.json(
                queries.latest(
                        params.symbols("symbols", MAX_SYMBOLS),
                        params.number("min_confidence", 0, 1),
                        params.choice("level", LEVELS),
                        params.symbolCursor("cursor"),
                        params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)));
    }

    private void newest(Context ctx) throws SQLException {
        Params params = Params.of(ctx, "as_of");
        String symbol = Params.pathSymbol(ctx, "symbol");
        Instant asOf = params.instant("as_of");
        Optional<Forecast> found = queries.newest(symbol, asOf);
        if (found.isEmpty()) {
            if (asOf != null && queries.known(symbol)) {
                throw ApiProblem.notFound("no forecast of " + symbol + " as of " + asOf);
            }
            throw ApiProblem.unknownSymbol("symbol", symbol);
        }
        String etag = found.get().etag();
        ctx.header("ETag", etag);
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.json(found.get());
    }

    private void history(Context ctx) throws SQLException {
        Params params = Params.of(ctx, "from", "to", "limit", "cursor");
        String symbol = Params.pathSymbol(ctx, "symbol");
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        Params.requireOrdered(from, to);
        Page<ForecastSummary> page =
                queries.history(
                        symbol,
                        from,
                        to,
                        params.cursor("cursor"),
                        params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
        if (page.items().isEmpty() && !queries.known(symbol)) {
            throw ApiProblem.unknownSymbol("symbol", symbol);
        }
        ctx.json(page);
    }

    /** The body of a batch call: the symbols, and {@code summary} (the default) or {@code full}. */
    public record BatchRequest(List<String> symbols, String detail) {}

    private void batch(Context ctx) throws SQLException {
        long start = System.nanoTime();
        Params.of(ctx);
        BatchRequest request = body.read(ctx, BatchRequest.class);
        List<String> symbols =
                Params.symbolList("symbols", request.symbols(), api.settings().maxBatchSymbols());
        boolean full = "full".equals(detail(request.detail()));
        List<?> items;
        List<ForecastSummary> summaries;
        if (full) {
            List<Forecast> forecasts = queries.latestForecasts(symbols);
            summaries = forecasts.stream().map(Forecast::summary).toList();
            items = forecasts;
        } else {
            summaries = queries.latestSummaries(symbols);
            items = summaries;
        }
        Instant staleBefore = Instant.now().minus(api.settings().staleAfter());
        int stale =
                (int) summaries.stream().filter(s -> s.predictedAt().isBefore(staleBefore)).count();
        Set<String> found =
                summaries.stream().map(ForecastSummary::symbol).collect(Collectors.toSet());
        List<String> unknown = symbols.stream().filter(s -> !found.contains(s)).toList();
        ctx.json(
                new ForecastBatch(
                        items,
                        new ForecastBatch.Facts(
                                symbols.size(),
                                items.size(),
                                stale,
                                unknown,
                                (System.nanoTime() - start) / 1_000_000)));
    }

    /** The body's symbols, each checked and named by its place if wrong; duplicates dropped. */
    private static String detail(String raw) {
        if (raw == null) {
            return "summary";
        }
        if (!DETAILS.contains(raw)) {
            throw ApiProblem.badParameter(
                    "detail", "detail '" + Params.quote(raw) + "' is not one of full, summary");
        }
        return raw;
    }

    /** Whether {@code If-None-Match} names {@code etag} (weak comparison, as for a GET). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*")) {
                return true;
            }
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
