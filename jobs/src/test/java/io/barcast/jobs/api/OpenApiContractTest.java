package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.jobs.api.OpenApiContract.Operation;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shipped OpenAPI document against the API contract, and the validator against wrong answers: a
 * missing field, an extra one, a wrong type, a bad format, an undocumented status or content type,
 * a missing header each fail, so a response that passes {@link OpenApiContract#assertValid} has
 * been checked.
 */
class OpenApiContractTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.shipped();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, List<String>> JSON_HEADERS =
            Map.of("content-type", List.of("application/json"), "x-request-id", List.of("r-1"));

    /** The endpoints of the API contract, each with the lowest tier that may call it. */
    private static final List<Operation> ENDPOINTS =
            List.of(
                    new Operation("GET", "/health", "public"),
                    new Operation("GET", "/ready", "public"),
                    new Operation("GET", "/metrics", "public"),
                    new Operation("GET", "/api/v1/openapi.json", "public"),
                    new Operation("GET", "/api/v1/status", "default"),
                    new Operation("GET", "/api/v1/predictions", "default"),
                    new Operation("GET", "/api/v1/predictions/{symbol}", "default"),
                    new Operation("GET", "/api/v1/predictions/{symbol}/history", "default"),
                    new Operation("POST", "/api/v1/predictions/batch", "default"),
                    new Operation("GET", "/api/v1/recommendations", "default"),
                    new Operation("GET", "/api/v1/recommendations/{symbol}", "default"),
                    new Operation("GET", "/api/v1/trade-outcomes", "default"),
                    new Operation("GET", "/api/v1/trade-outcomes/summary", "default"),
                    new Operation("GET", "/api/v1/performance", "default"),
                    new Operation("GET", "/api/v1/performance/daily", "default"),
                    new Operation("GET", "/api/v1/validations/{symbol}", "default"),
                    new Operation("GET", "/api/v1/bars/{symbol}", "default"),
                    new Operation("GET", "/api/v1/alerts", "default"),
                    new Operation("GET", "/api/v1/dead-letters", "admin"),
                    new Operation("GET", "/api/v1/models", "default"),
                    new Operation("POST", "/api/v1/repredictions", "premium"),
                    new Operation("POST", "/api/v1/predict", "premium"),
                    new Operation("POST", "/api/v1/webhooks", "default"),
                    new Operation("GET", "/api/v1/webhooks", "default"),
                    new Operation("GET", "/api/v1/webhooks/{webhook_id}", "default"),
                    new Operation("PATCH", "/api/v1/webhooks/{webhook_id}", "default"),
                    new Operation("DELETE", "/api/v1/webhooks/{webhook_id}", "default"),
                    new Operation("POST", "/api/v1/webhooks/{webhook_id}/test", "default"),
                    new Operation("GET", "/api/v1/webhooks/{webhook_id}/deliveries", "default"),
                    new Operation("GET", "/api/v1/exports", "default"),
                    new Operation("POST", "/api/v1/exports", "default"),
                    new Operation("GET", "/api/v1/exports/{export_id}", "default"),
                    new Operation("DELETE", "/api/v1/exports/{export_id}", "default"),
                    new Operation("GET", "/api/v1/exports/{export_id}/file", "default"),
                    new Operation("GET", "/api/v1/stream/predictions", "default"),
                    new Operation("GET", "/api/v1/stream/recommendations", "default"),
                    new Operation("GET", "/api/v1/stream/alerts", "default"),
                    new Operation("GET", "/api/v1/stream/validations", "default"),
                    new Operation("POST", "/api/v1/stream/tokens", "default"));

    @Test
    void documentsExactlyTheContractsEndpointsWithTheirTiers() {
        assertThat(CONTRACT.operations()).containsExactlyInAnyOrderElementsOf(ENDPOINTS);
    }

    @Test
    void publicOperationsNeedNoKeyAndTheOthersSayTheirTier() {
        for (Map.Entry<String, JsonNode> path : CONTRACT.document().get("paths").properties()) {
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                JsonNode operation = entry.getValue();
                String tier = operation.get("x-barcast-tier").asText();
                String where = entry.getKey() + " " + path.getKey();
                assertThat(operation.get("description").asText())
                        .as(where)
                        .contains("Tier: " + tier);
                // streams also take a stream token in the query string, for browsers
                boolean streamToken =
                        operation.path("security").toString().contains("\"StreamToken\"");
                assertThat(operation.has("security"))
                        .as(where + " overrides the security")
                        .isEqualTo(tier.equals("public") || streamToken);
                assertThat(operation.path("responses").has("401"))
                        .as(where + " documents 401")
                        .isEqualTo(!tier.equals("public"));
                assertThat(operation.path("responses").has("403"))
                        .as(where + " documents 403")
                        .isEqualTo(tier.equals("premium") || tier.equals("admin"));
            }
        }
    }

    @Test
    void aDocumentTheToolsCannotFullyReadIsRefused() {
        String dangling =
                """
                {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                 "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nowhere"}}}}}}}}}
                """;
        assertThatThrownBy(() -> OpenApiContract.of(dangling))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Nowhere");
        String undescribed =
                """
                {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                 "paths": {"/x": {"get": {"responses": {"200": {}}}}}}
                """;
        assertThatThrownBy(() -> OpenApiContract.of(undescribed))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("description");
        String misspelt =
                """
                {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                 "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
                   "content": {"application/json": {"schema": {"type": "object", "requried": ["a"]}}}}}}}}}
                """;
        assertThatThrownBy(() -> OpenApiContract.of(misspelt))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("requried");
        // valid OpenAPI 3.0 that the validator's dialect lacks: it would be ignored, not checked
        String unchecked =
                """
                {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                 "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
                   "content": {"application/json": {"schema":
                     {"type": "number", "minimum": 0, "exclusiveMinimum": true}}}}}}}}}
                """;
        assertThatThrownBy(() -> OpenApiContract.of(unchecked))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exclusiveMinimum");
    }

    @Test
    void acceptsAPageOfSummariesWithNullsWhereTheTablesAllowThem() {
        ObjectNode page = page(summary());
        ObjectNode old = summary();
        old.putNull("model_folder");
        old.putNull("confidence");
        old.putNull("confidence_level");
        ((ArrayNode) page.get("items")).add(old);
        page.put("next_cursor", "MTcwMDAwMDAwMDAwMA");
        assertThat(listPredictions(page)).isEmpty();
    }

    @Test
    void refusesAMissingFieldAnExtraFieldAndAWrongType() {
        assertThat(listPredictions(page(summary(s -> s.remove("final_price")))))
                .anySatisfy(problem -> assertThat(problem).contains("final_price"));
        assertThat(listPredictions(page(summary(s -> s.put("price_target", 1.0)))))
                .anySatisfy(problem -> assertThat(problem).contains("price_target"));
        assertThat(listPredictions(page(summary(s -> s.put("last_close", "101.5")))))
                .anySatisfy(problem -> assertThat(problem).contains("last_close"));
        ObjectNode noCursor = page(summary());
        noCursor.remove("next_cursor");
        assertThat(listPredictions(noCursor))
                .anySatisfy(problem -> assertThat(problem).contains("next_cursor"));
    }

    @Test
    void refusesNullWhereAColumnIsNotNullAndValuesOutsideFormatsAndEnums() {
        assertThat(listPredictions(page(summary(s -> s.putNull("symbol")))))
                .anySatisfy(problem -> assertThat(problem).contains("symbol"));
        assertThat(listPredictions(page(summary(s -> s.put("as_of", "2026-01-05 14:30")))))
                .anySatisfy(problem -> assertThat(problem).contains("as_of"));
        assertThat(listPredictions(page(summary(s -> s.put("prediction_id", "p-1")))))
                .anySatisfy(problem -> assertThat(problem).contains("prediction_id"));
        assertThat(listPredictions(page(summary(s -> s.put("confidence_level", "ultra")))))
                .anySatisfy(problem -> assertThat(problem).contains("confidence_level"));
        assertThat(listPredictions(page(summary(s -> s.put("confidence", 1.5)))))
                .anySatisfy(problem -> assertThat(problem).contains("confidence"));
        assertThat(listPredictions(page(summary(s -> s.put("symbol", "aapl")))))
                .anySatisfy(problem -> assertThat(problem).contains("symbol"));
    }

    @Test
    void checksAFullForecastDownToItsConfidenceFactors() {
        assertThat(getPrediction(prediction())).isEmpty();
        ObjectNode unknownFactor = prediction();
        ((ObjectNode) unknownFactor.at("/confidence_detail/factors")).put("luck", 0.5);
        assertThat(getPrediction(unknownFactor))
                .anySatisfy(problem -> assertThat(problem).contains("luck"));
        ObjectNode pointWithoutPrice = prediction();
        ((ObjectNode) pointWithoutPrice.at("/path/0")).remove("price");
        assertThat(getPrediction(pointWithoutPrice))
                .anySatisfy(problem -> assertThat(problem).contains("price"));
    }

    @Test
    void refusesAnUndocumentedStatusOrContentTypeAndMissingHeaders() {
        String health = "{\"status\":\"up\"}";
        assertThat(CONTRACT.problemsOf("GET", "/health", 200, JSON_HEADERS, health)).isEmpty();
        // any other status is documented only as a problem (the operations' default answer)
        assertThat(CONTRACT.problemsOf("GET", "/health", 418, JSON_HEADERS, health))
                .anySatisfy(
                        problem ->
                                assertThat(problem)
                                        .contains("application/json is not documented")
                                        .contains("application/problem+json"));
        assertThat(
                        CONTRACT.problemsOf(
                                "GET",
                                "/health",
                                200,
                                Map.of(
                                        "Content-Type",
                                        List.of("text/html"),
                                        "X-Request-Id",
                                        List.of("r-1")),
                                health))
                .anySatisfy(problem -> assertThat(problem).contains("text/html"));
        assertThat(
                        CONTRACT.problemsOf(
                                "GET",
                                "/health",
                                200,
                                Map.of("Content-Type", List.of("application/json")),
                                health))
                .anySatisfy(problem -> assertThat(problem).contains("X-Request-Id"));
        assertThat(
                        CONTRACT.problemsOf(
                                "GET", "/api/v1/predictions/{symbol}", 304, JSON_HEADERS, ""))
                .anySatisfy(problem -> assertThat(problem).contains("ETag"));
        assertThat(
                        CONTRACT.problemsOf(
                                "GET", "/health", 200, JSON_HEADERS, "{\"status\":\"down\"}"))
                .anySatisfy(problem -> assertThat(problem).contains("status"));
        assertThat(CONTRACT.problemsOf("GET", "/nowhere", 200, JSON_HEADERS, health))
                .anySatisfy(problem -> assertThat(problem).contains("no operation"));
    }

    @Test
    void checksHeaderValuesAgainstTheirSchemas() {
        String problem =
                "{\"type\":\"about:blank\",\"title\":\"Too many requests\",\"status\":429,"
                        + "\"instance\":\"/api/v1/status\",\"request_id\":\"r-1\"}";
        Map<String, List<String>> headers =
                Map.of(
                        "Content-Type", List.of("application/problem+json"),
                        "X-Request-Id", List.of("r-1"),
                        "Retry-After", List.of("12"));
        assertThat(CONTRACT.problemsOf("GET", "/api/v1/status", 429, headers, problem)).isEmpty();
        Map<String, List<String>> badRetry =
                Map.of(
                        "Content-Type", List.of("application/problem+json"),
                        "X-Request-Id", List.of("r-1"),
                        "Retry-After", List.of("soon"));
        assertThat(CONTRACT.problemsOf("GET", "/api/v1/status", 429, badRetry, problem))
                .anySatisfy(p -> assertThat(p).contains("Retry-After"));
        Map<String, List<String>> noRetry =
                Map.of(
                        "Content-Type", List.of("application/problem+json"),
                        "X-Request-Id", List.of("r-1"));
        assertThat(CONTRACT.problemsOf("GET", "/api/v1/status", 429, noRetry, problem))
                .anySatisfy(p -> assertThat(p).contains("Retry-After"));
        Map<String, List<String>> unquotedEtag =
                Map.of(
                        "Content-Type", List.of("application/json"),
                        "X-Request-Id", List.of("r-1"),
                        "ETag", List.of("abc"));
        assertThat(
                        CONTRACT.problemsOf(
                                "GET",
                                "/api/v1/predictions/{symbol}",
                                200,
                                unquotedEtag,
                                prediction().toString()))
                .anySatisfy(p -> assertThat(p).contains("ETag"));
    }

    private static List<String> listPredictions(ObjectNode page) {
        return CONTRACT.problemsOf(
                "GET", "/api/v1/predictions", 200, JSON_HEADERS, page.toString());
    }

    private static List<String> getPrediction(ObjectNode prediction) {
        Map<String, List<String>> headers =
                Map.of(
                        "Content-Type", List.of("application/json"),
                        "X-Request-Id", List.of("r-1"),
                        "ETag", List.of("\"5f1c-1700000000000\""));
        return CONTRACT.problemsOf(
                "GET", "/api/v1/predictions/{symbol}", 200, headers, prediction.toString());
    }

    private static ObjectNode page(ObjectNode item) {
        ObjectNode page = MAPPER.createObjectNode();
        page.putArray("items").add(item);
        page.putNull("next_cursor");
        return page;
    }

    private static ObjectNode summary(Consumer<ObjectNode> change) {
        ObjectNode summary = summary();
        change.accept(summary);
        return summary;
    }

    private static ObjectNode summary() {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("prediction_id", "0b6d5c9e-4f57-3b8e-9d1c-2a6e8f0c1d23");
        s.put("symbol", "X:BTCUSD");
        s.put("as_of", "2026-01-05T14:30:00Z");
        s.put("reason", "new_bar");
        s.put("model_folder", "default");
        s.put("model_name", "barcast-lstm");
        s.put("model_version", "2026.11.22");
        s.put("last_close", 101.5);
        s.put("horizon_end", "2026-01-12T14:15:00Z");
        s.put("final_price", 103.0);
        s.put("expected_return_percent", 1.4778);
        s.put("confidence", 0.62);
        s.put("confidence_level", "medium");
        s.put("predicted_at", "2026-01-05T14:45:01.250Z");
        return s;
    }

    private static ObjectNode prediction() {
        ObjectNode p = summary();
        ArrayNode path = p.putArray("path");
        ObjectNode point = path.addObject();
        point.put("time", "2026-01-05T14:45:00Z");
        point.put("price", 101.7);
        point.put("lower", 100.9);
        point.put("upper", 102.4);
        ObjectNode old = path.addObject();
        old.put("time", "2026-01-05T15:00:00Z");
        old.put("price", 101.8);
        old.putNull("lower");
        old.putNull("upper");
        ObjectNode band = p.putObject("band");
        band.put("method", "conformal");
        band.put("coverage", 0.8);
        ObjectNode detail = p.putObject("confidence_detail");
        detail.put("value", 0.62);
        detail.put("level", "medium");
        detail.put("decay", 0.97);
        ObjectNode factors = detail.putObject("factors");
        factors.put("model_performance", 0.7);
        factors.put("data_quality", 1.0);
        factors.put("historical_accuracy", 0.5);
        p.put("batch_size", 12);
        p.put("inference_micros", 1830);
        p.put("received_at", "2026-01-05T14:45:00.900Z");
        return p;
    }
}
