package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Export calls of the tests: ask, wait for a state, download the bytes (checked as documented). */
final class ExportCalls {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ApiClient client;
    private final OpenApiContract contract;

    ExportCalls(ApiClient client, OpenApiContract contract) {
        this.client = client;
        this.contract = contract;
    }

    ExportCalls as(ApiClient other) {
        return new ExportCalls(other, contract);
    }

    ApiClient client() {
        return client;
    }

    /** Asks for an export; returns its id after checking the 202 and its Location. */
    String create(String body) {
        ApiClient.Response response = client.post("/api/v1/exports", body);
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        String id = response.json().path("id").asText();
        assertThat(response.header("Location")).isEqualTo("/api/v1/exports/" + id);
        assertThat(response.json().path("state").asText()).isEqualTo("queued");
        return id;
    }

    JsonNode show(String id) {
        ApiClient.Response response = client.get("/api/v1/exports/" + id);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }

    /** Waits until the export is in one of {@code states}; returns it. */
    JsonNode awaitState(String id, String... states) {
        Set<String> wanted = Set.of(states);
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            last[0] = show(id);
                            String state = last[0].path("state").asText();
                            if (!wanted.contains(state)
                                    && List.of("failed", "expired").contains(state)) {
                                throw new AssertionError("export ended " + last[0]);
                            }
                            return wanted.contains(state);
                        });
        return last[0];
    }

    /** Asks for an export, waits until it is done, downloads it. */
    byte[] export(String body) {
        String id = create(body);
        awaitState(id, "done");
        return download(id).body();
    }

    /** The file of an export: the raw response, checked against the document. */
    HttpResponse<byte[]> download(String id) {
        try {
            HttpResponse<byte[]> response =
                    HTTP.send(
                            client.request("/api/v1/exports/" + id + "/file").GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            boolean problem =
                    response.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("application/problem+json");
            List<String> problems =
                    contract.problemsOf(
                            "GET",
                            "/api/v1/exports/{export_id}/file",
                            response.statusCode(),
                            response.headers().map(),
                            // a file is not JSON; a problem body is checked as one
                            problem ? new String(response.body()) : "");
            assertThat(problems).as("the download answers as documented").isEmpty();
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
