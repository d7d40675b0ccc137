package io.barcast.connectors.polygon.rest;

import io.barcast.connectors.polygon.ApiKey;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Asks Polygon's aggregates endpoint for bars. The key goes in the {@code Authorization} header, so
 * no URL this client builds, follows or reports ever carries it. Every call has a connect timeout
 * and an overall deadline for the whole response.
 */
public final class PolygonRestClient {

    private final String baseUrl;
    private final URI base;
    private final ApiKey key;
    private final Duration requestTimeout;
    private final HttpClient http;

    public PolygonRestClient(String baseUrl, ApiKey key, Duration requestTimeout, HttpClient http) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(this.baseUrl);
        this.key = key;
        this.requestTimeout = requestTimeout;
        this.http = http;
    }

    /** The HTTP client barcast uses for Polygon: the connect timeout, no redirects. */
    public static HttpClient newHttpClient(Duration connectTimeout, Executor executor) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** The first page of {@code interval}-minute bars of {@code ticker} with from <= t <= to. */
    public URI aggregatesUri(String ticker, int minutes, long from, long to) {
        return URI.create(
                baseUrl
                        + "/v2/aggs/ticker/"
                        + URLEncoder.encode(ticker, StandardCharsets.UTF_8).replace("%3A", ":")
                        + "/range/"
                        + minutes
                        + "/minute/"
                        + from
                        + "/"
                        + to
                        + "?adjusted=true&sort=asc&limit=50000");
    }

    /**
     * The URI of a response's {@code next_url}, or empty when it points anywhere but the configured
     * server: the key is only ever sent there.
     */
    public Optional<URI> nextPage(String nextUrl) {
        URI next;
        try {
            next = URI.create(nextUrl);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean sameServer =
                base.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()))
                        && base.getHost().equalsIgnoreCase(String.valueOf(next.getHost()))
                        && base.getPort() == next.getPort();
        return sameServer ? Optional.of(next) : Optional.empty();
    }

    /** Sends a GET; the future fails on I/O errors and when the deadline passes. */
    public CompletableFuture<Answer> get(URI uri) {
        HttpRequest request;
        try {
            request =
                    HttpRequest.newBuilder(uri)
                            .timeout(requestTimeout)
                            .header("Authorization", "Bearer " + key.reveal())
                            .header("Accept", "application/json")
                            .GET()
                            .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(
                    new IOException("cannot build the request: " + key.scrub(e.getMessage())));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(
                        response ->
                                new Answer(
                                        response.statusCode(),
                                        response.headers().firstValue("Retry-After").orElse(null),
                                        response.body()));
    }

    /** What came back: status, the Retry-After header if any, and the body. */
    public record Answer(int status, String retryAfter, String body) {}

    /** A URI as it may appear in logs and dead letters: path only, no query. */
    public static String describe(URI uri) {
        return uri.getPath();
    }
}
