package io.barcast.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.ApiServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the API clients ({@code status}, {@code predictions}, {@code recommendations}) find the API
 * and their key. The key comes from {@code BARCAST_API_KEY} or a file, never from an argument:
 * arguments show in the process list and the shell history.
 */
final class ApiConnection {

    static final String KEY_VARIABLE = "BARCAST_API_KEY";
    private static final ObjectMapper MAPPER = ApiServer.mapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Option(
            names = "--api-url",
            defaultValue = "http://127.0.0.1:8090",
            description = "The query API (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
            names = "--key-file",
            paramLabel = "FILE",
            description = "A file holding the API key. Default: the " + KEY_VARIABLE + " variable.")
    Path keyFile;

    /** A failed call, said in words fit for the terminal (never with the key). */
    static final class ApiCallException extends RuntimeException {
        ApiCallException(String message) {
            super(message);
        }
    }

    /** GETs {@code path} with {@code query} (name, value pairs; null values left out). */
    JsonNode get(String path, String... query) {
        StringBuilder target = new StringBuilder(url.replaceAll("/+$", "")).append(path);
        char separator = '?';
        for (int i = 0; i + 1 < query.length; i += 2) {
            if (query[i + 1] == null) {
                continue;
            }
            target.append(separator)
                    .append(query[i])
                    .append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
            separator = '&';
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(target.toString()))
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept", "application/json");
        String key = key();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiCallException(
                    "no API answers at " + url + " (start one with: barcast api, or barcast demo)");
        } catch (IOException e) {
            throw new ApiCallException("the API at " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallException("interrupted");
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new ApiCallException(
                    url + " answered " + response.statusCode() + " with something not JSON");
        }
        if (response.statusCode() >= 400) {
            String detail = body.path("detail").asText("");
            throw new ApiCallException(
                    body.path("title").asText("HTTP " + response.statusCode())
                            + (detail.isEmpty() ? "" : ": " + detail)
                            + (response.statusCode() == 401
                                    ? " (set " + KEY_VARIABLE + " or --key-file)"
                                    : ""));
        }
        return body;
    }

    private String key() {
        try {
            if (keyFile != null) {
                return Files.readString(keyFile).strip();
            }
        } catch (IOException e) {
            throw new ApiCallException("cannot read the key file " + keyFile);
        }
        String key = System.getenv(KEY_VARIABLE);
        return key == null || key.isBlank() ? null : key.strip();
    }
}
