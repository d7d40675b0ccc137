package io.barcast.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.Forecasting;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.JsonBody;
import io.barcast.api.http.Params;
import io.barcast.core.Bar;
import io.barcast.core.DaemonThreads;
import io.barcast.core.Prediction;
import io.barcast.functions.forecast.BarsForecaster;
import io.barcast.functions.forecast.ForecastFailedException;
import io.barcast.functions.forecast.SymbolBars;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code POST /api/v1/predict}: forecasts of bars a client brings, one window per symbol, made in
 * this process by {@link BarsForecaster} with the job's features, models, calendar, band and
 * confidence code; every window of a call (and of calls made meanwhile) goes to ONNX Runtime in one
 * batch. A forecast is what the job makes of a symbol's first full window: no track record.
 */
public final class PredictRoutes implements ApiRoutes, AutoCloseable {

    /** Bars a window may hold: far more than any model needs, few enough to parse quickly. */
    static final int MAX_BARS = 5_000;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ApiContext api;
    private final JsonBody body;
    private final BarsForecaster forecaster;
    private final ScheduledExecutorService reloads;

    public PredictRoutes(ApiContext api) {
        this.api = api;
        this.body = new JsonBody(api.mapper(), api.settings().maxBodyBytes());
        Forecasting setup = api.settings().forecasting();
        if (setup == null) {
            this.forecaster = null;
            this.reloads = null;
            return;
        }
        this.forecaster =
                new BarsForecaster(
                        setup.models(), setup.settings(), setup.batchSize(), setup.batchWait());
        if (setup.reloadInterval().isZero()) {
            this.reloads = null;
        } else {
            // a model dropped into the folder serves predict as it serves the job
            this.reloads =
                    DaemonThreads.every(
                            setup.reloadInterval(),
                            "barcast-api-model-reload",
                            () -> forecaster.registry().refresh());
        }
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/predict", this::predict, Tier.PREMIUM);
    }

    private void predict(Context ctx) {
        Params.of(ctx);
        if (forecaster == null) {
            throw ApiProblem.unavailable("this API instance was started without models");
        }
        List<SymbolBars> windows = windows(body.read(ctx, PredictBody.class));
        long start = System.nanoTime();
        List<Prediction> forecasts;
        try {
            forecasts = forecaster.forecast(windows, TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badParameter("windows", e.getMessage());
        } catch (ForecastFailedException e) {
            throw ApiProblem.unavailable(
                    e.symbol() == null
                            ? "the model did not answer in time; try again"
                            : "the model failed on " + e.symbol());
        }
        List<Map<String, Object>> items = new ArrayList<>(forecasts.size());
        int batch = 0;
        for (Prediction forecast : forecasts) {
            items.add(ForecastJson.of(forecast));
            batch = Math.max(batch, forecast.batchSize());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("windows", windows.size());
        facts.put("batch_size", batch);
        facts.put("took_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", items);
        answer.put("facts", facts);
        ctx.json(answer);
    }

    /** The body: a window of bars per symbol, oldest first. */
    public record PredictBody(List<WindowBody> windows) {}

    /** One symbol's bars. */
    public record WindowBody(String symbol, List<BarBody> bars) {}

    /** A bar: its start as ISO-8601 text or epoch milliseconds, and its prices and volume. */
    public record BarBody(
            JsonNode time, Double open, Double high, Double low, Double close, Double volume) {}

    private List<SymbolBars> windows(PredictBody body) {
        List<WindowBody> list = body.windows();
        if (list == null || list.isEmpty()) {
            throw ApiProblem.badParameter(
                    "windows", "windows must be a non-empty list of {symbol, bars}");
        }
        int max = api.settings().maxBatchSymbols();
        if (list.size() > max) {
            throw ApiProblem.badParameter(
                    "windows", "windows lists " + list.size() + " windows; at most " + max);
        }
        List<SymbolBars> windows = new ArrayList<>(list.size());
        for (int w = 0; w < list.size(); w++) {
            String at = "windows[" + w + "]";
            WindowBody window = list.get(w);
            if (window == null) {
                throw ApiProblem.badParameter(at, at + " must be an object {symbol, bars}");
            }
            String symbol = Params.symbolOf(at + ".symbol", window.symbol());
            List<BarBody> bars = window.bars();
            if (bars == null || bars.isEmpty()) {
                throw ApiProblem.badParameter(
                        at + ".bars", at + ".bars must be a non-empty list of bars, oldest first");
            }
            if (bars.size() > MAX_BARS) {
                throw ApiProblem.badParameter(
                        at + ".bars",
                        at + ".bars holds " + bars.size() + " bars; at most " + MAX_BARS);
            }
            List<Bar> checked = new ArrayList<>(bars.size());
            for (int b = 0; b < bars.size(); b++) {
                checked.add(bar(symbol, bars.get(b), at + ".bars[" + b + "]"));
            }
            windows.add(new SymbolBars(symbol, checked));
        }
        return windows;
    }

    private static Bar bar(String symbol, BarBody bar, String at) {
        if (bar == null) {
            throw ApiProblem.badParameter(
                    at, at + " must be an object {time, open, high, low, close, volume}");
        }
        return Bar.of(
                symbol,
                time(bar.time(), at + ".time"),
                number(bar.open(), at + ".open"),
                number(bar.high(), at + ".high"),
                number(bar.low(), at + ".low"),
                number(bar.close(), at + ".close"),
                number(bar.volume(), at + ".volume"));
    }

    /** A bar's start: ISO-8601 text or epoch milliseconds. */
    private static long time(JsonNode node, String at) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node != null && node.isTextual()) {
            try {
                return Instant.parse(node.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // said below
            }
        }
        throw ApiProblem.badParameter(
                at, at + " must be the bar's start as ISO-8601 (2026-01-05T14:30:00Z) or epoch ms");
    }

    private static double number(Double value, String at) {
        if (value == null) {
            throw ApiProblem.badParameter(at, at + " must be a number");
        }
        return value;
    }

    @Override
    public void close() throws InterruptedException {
        if (reloads != null) {
            reloads.shutdownNow();
        }
        if (forecaster != null) {
            forecaster.close();
        }
    }
}
