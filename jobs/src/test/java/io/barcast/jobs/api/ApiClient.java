package io.barcast.jobs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client for the API in tests: JDK {@link HttpClient}, JSON read with Jackson. */
public final class ApiClient {

    private static final ObjectMapper MAPPER = ApiServer.mapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;
    private final OpenApiContract contract;

    public ApiClient(String base, String key) {
        this(base, key, null);
    }

    private ApiClient(String base, String key, OpenApiContract contract) {
        this.base = base;
        this.key = key;
        this.contract = contract;
    }

    public ApiClient withKey(String otherKey) {
        return new ApiClient(base, otherKey, contract);
    }

    /**
     * This client, checking every response it gets against {@code contract}: a response the OpenAPI
     * document does not allow fails the test where it was received.
     */
    public ApiClient validating(OpenApiContract check) {
        return new ApiClient(base, key, check);
    }

    /** A response: status, headers and the body, parsed as JSON when it is JSON. */
    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return raw.body();
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw.body(), e);
            }
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }

    public Response get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    public Response post(String path, String json) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            Response response =
                    new Response(http.send(builder.build(), HttpResponse.BodyHandlers.ofString()));
            if (contract != null) {
                contract.assertValid(response);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                        .timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("X-API-Key", key);
        }
        return builder;
    }
}
