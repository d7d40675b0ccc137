package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document the real server serves, against the server itself: every route it answers is
 * documented with its tier and every documented operation is answered, and its real answers
 * (probes, problems, refusals) are the ones the document allows.
 */
class OpenApiDocumentITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

    /**
     * Documented operations this build does not serve yet. The routes that answer them are being
     * added; when one is, {@link #everyDocumentedOperationIsServed} says to take it off this list,
     * so the list can only shrink.
     */
    private static final Set<String> NOT_YET_SERVED = Set.of();

    private static ApiServer server;
    private static ApiClient anonymous;
    private static ApiClient withDefaultKey;
    private static ApiClient withAdminKey;
    private static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        server = new ApiServer(TestApiSettings.of(DB, null)).start();
        anonymous = new ApiClient(server.url(), null);
        ApiKeys keys = new ApiKeys(server.context().db());
        withDefaultKey = anonymous.withKey(keys.create("reader", Tier.DEFAULT).secret());
        withAdminKey = anonymous.withKey(keys.create("ops", Tier.ADMIN).secret());
        contract = OpenApiContract.served(anonymous);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servesTheShippedDocumentAsItsOwnDocumentedAnswer() {
        ApiClient.Response response = anonymous.get("/api/v1/openapi.json");
        contract.assertValid("GET", "/api/v1/openapi.json", response);
        assertThat(contract.document()).isEqualTo(OpenApiContract.shipped().document());
    }

    @Test
    void everyServedRouteIsDocumentedWithItsTier() {
        Map<String, String> documented = documentedTiers();
        for (ApiServer.Route route : server.routes()) {
            String operation = route.method() + " " + route.path();
            assertThat(documented)
                    .as("the OpenAPI document describes %s", operation)
                    .containsEntry(operation, route.tier().label());
        }
    }

    @Test
    void everyDocumentedOperationIsServed() {
        Set<String> served = new TreeSet<>();
        server.routes().forEach(route -> served.add(route.method() + " " + route.path()));
        Set<String> unserved = new TreeSet<>(documentedTiers().keySet());
        unserved.removeAll(served);
        Set<String> unexpected = new TreeSet<>(unserved);
        unexpected.removeAll(NOT_YET_SERVED);
        assertThat(unexpected).as("documented, but no route answers them").isEmpty();
        Set<String> nowServed = new TreeSet<>(NOT_YET_SERVED);
        nowServed.retainAll(served);
        assertThat(nowServed).as("served now: take them off NOT_YET_SERVED").isEmpty();
    }

    @Test
    void probesAnswerAsDocumented() {
        ApiClient.Response health =
                anonymous.send(
                        anonymous.request("/health").header("X-Request-Id", "trace-42").GET());
        contract.assertValid("GET", "/health", health);
        assertThat(health.header("X-Request-Id")).isEqualTo("trace-42");
        ApiClient.Response ready = anonymous.get("/ready");
        assertThat(ready.status()).isEqualTo(200);
        contract.assertValid("GET", "/ready", ready);
        ApiClient.Response metrics = anonymous.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        contract.assertValid("GET", "/metrics", metrics);
    }

    @Test
    void readinessWithTheDatabaseDownIsTheDocumented503() {
        ApiSettings unreachable =
                ApiSettings.defaults("jdbc:postgresql://127.0.0.1:1/barcast", "nobody", "", null);
        try (ApiServer down = new ApiServer(unreachable).start()) {
            ApiClient.Response ready = new ApiClient(down.url(), null).get("/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().at("/checks/database").asText()).isEqualTo("down");
            contract.assertValid("GET", "/ready", ready);
        }
    }

    @Test
    void anUnknownPathIsADocumentedProblem() {
        ApiClient.Response missing = withDefaultKey.get("/api/v1/nowhere");
        assertThat(missing.status()).isEqualTo(404);
        contract.assertProblem(missing);
    }

    @Test
    void everyGetRefusesAnUnknownParameterAsDocumented() {
        for (ApiServer.Route route : server.routes()) {
            if (!route.method().equals("GET")) {
                continue;
            }
            ApiClient.Response response =
                    withAdminKey.get(concrete(route.path(), "AAPL") + "?nonsense=1");
            assertThat(response.status()).as(route.toString()).isEqualTo(400);
            assertThat(response.json().get("parameter").asText()).isEqualTo("nonsense");
            contract.assertValid(route.method(), route.path(), response);
        }
    }

    @Test
    void everyKeyedRouteRefusesACallWithoutAKeyAsDocumented() {
        List<ApiServer.Route> keyed =
                server.routes().stream().filter(route -> route.tier() != Tier.PUBLIC).toList();
        assumeFalse(keyed.isEmpty(), "this build serves no route that needs a key");
        for (ApiServer.Route route : keyed) {
            ApiClient.Response response = call(anonymous, route, "AAPL");
            assertThat(response.status()).as(route.toString()).isEqualTo(401);
            contract.assertValid(route.method(), route.path(), response);
        }
    }

    @Test
    void routesAboveTheDefaultTierRefuseADefaultKeyAsDocumented() {
        List<ApiServer.Route> above =
                server.routes().stream()
                        .filter(route -> route.tier().compareTo(Tier.DEFAULT) > 0)
                        .toList();
        assumeFalse(above.isEmpty(), "this build serves no route above the default tier");
        for (ApiServer.Route route : above) {
            ApiClient.Response response = call(withDefaultKey, route, "AAPL");
            assertThat(response.status()).as(route.toString()).isEqualTo(403);
            contract.assertValid(route.method(), route.path(), response);
        }
    }

    @Test
    void everySymbolRouteAnswersASymbolWithoutRowsAsDocumented() {
        List<ApiServer.Route> bySymbol =
                server.routes().stream()
                        .filter(route -> route.method().equals("GET"))
                        .filter(route -> route.path().contains("{symbol}"))
                        .toList();
        assumeFalse(bySymbol.isEmpty(), "this build serves no route with a symbol in its path");
        for (ApiServer.Route route : bySymbol) {
            ApiClient.Response response = call(withAdminKey, route, "NOSUCH");
            assertThat(response.status()).as(route.toString()).isEqualTo(404);
            assertThat(response.json().get("parameter").asText()).isEqualTo("symbol");
            contract.assertValid(route.method(), route.path(), response);
        }
    }

    private static Map<String, String> documentedTiers() {
        Map<String, String> tiers = new LinkedHashMap<>();
        for (OpenApiContract.Operation operation : contract.operations()) {
            tiers.put(operation.method() + " " + operation.path(), operation.tier());
        }
        return tiers;
    }

    private static ApiClient.Response call(ApiClient client, ApiServer.Route route, String symbol) {
        String path = concrete(route.path(), symbol);
        return route.method().equals("GET")
                ? client.get(path)
                : client.send(
                        client.request(path)
                                .header("Content-Type", "application/json")
                                .method(route.method(), HttpRequest.BodyPublishers.ofString("{}")));
    }

    private static String concrete(String template, String symbol) {
        // ids no resource has: the route answers before it looks the id up, or with 404
        return template.replace("{symbol}", symbol)
                .replace("{webhook_id}", "00000000-0000-4000-8000-000000000000")
                .replace("{export_id}", "00000000-0000-4000-8000-000000000000");
    }
}
