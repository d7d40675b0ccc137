package io.barcast.api.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.JsonBody;
import io.barcast.api.http.Params;
import io.barcast.core.ForecastReason;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.SafeText;
import io.barcast.core.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Control: {@code POST /api/v1/repredictions} asks the job to forecast symbols again now. Each
 * symbol's request goes to the repredictions topic as the job reads it (cause {@code manual}, keyed
 * by symbol); the answer appears as a forecast with reason {@code manual}. 202 once the broker has
 * the requests; 503 when there is no broker or it does not answer.
 */
public final class ControlRoutes implements ApiRoutes {

    /** The job keeps at most this much of a request's detail. */
    private static final int MAX_DETAIL_CHARS = 1_000;

    private final ApiContext api;
    private final ObjectMapper topicJson = Json.newMapper();
    private final JsonBody body;

    public ControlRoutes(ApiContext api) {
        this.api = api;
        this.body = new JsonBody(api.mapper(), api.settings().maxBodyBytes());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/repredictions", this::reprediction, Tier.PREMIUM);
    }

    private void reprediction(Context ctx) throws Exception {
        Params.of(ctx);
        RepredictionBody asked = body.read(ctx, RepredictionBody.class);
        List<String> symbols =
                Params.symbolList("symbols", asked.symbols(), api.settings().maxBatchSymbols());
        ApiKey caller = KeyCheck.caller(ctx);
        String detail =
                SafeText.cap(
                        SafeText.clean(
                                (asked.detail() == null
                                                ? "requested through the API"
                                                : asked.detail())
                                        + " (key "
                                        + caller.id()
                                        + ")"),
                        MAX_DETAIL_CHARS);
        if (api.producer() == null) {
            throw ApiProblem.unavailable(
                    "no Kafka broker is configured (kafka.bootstrap-servers), so no request can"
                            + " reach the job");
        }
        long now = System.currentTimeMillis();
        List<Map<String, String>> accepted = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (String symbol : symbols) {
            RepredictionRequest request =
                    new RepredictionRequest(
                            UUID.randomUUID().toString(),
                            symbol,
                            ForecastReason.MANUAL.label(),
                            detail,
                            0,
                            now);
            sends.add(
                    api.producer()
                            .send(
                                    new ProducerRecord<>(
                                            api.settings().repredictionsTopic(),
                                            symbol,
                                            topicJson.writeValueAsString(request))));
            Map<String, String> answer = new LinkedHashMap<>();
            answer.put("request_id", request.id());
            answer.put("symbol", symbol);
            accepted.add(answer);
        }
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(10, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw ApiProblem.unavailable(
                    "the Kafka broker did not take the requests; nothing is known to have reached"
                            + " the job, so sending them again is safe");
        }
        ctx.status(202).json(Map.of("requests", accepted));
    }

    /** The body: the symbols to forecast again, and why (for people). */
    public record RepredictionBody(List<String> symbols, String detail) {}
}
