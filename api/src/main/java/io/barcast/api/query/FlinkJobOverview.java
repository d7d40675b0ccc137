package io.barcast.api.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;

/**
 * The state of barcast's Flink job, from the Flink REST API's {@code /jobs/overview}: the job that
 * is not yet finished (of several, the one started last), else the one started last. Flink that
 * does not answer within {@link #TIMEOUT} shows as {@code unreachable}, so a status page never
 * waits longer on it.
 */
public final class FlinkJobOverview {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Flink's job states from which a job does not come back. */
    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELED");

    /** A job that has not ended ranks above one that has; then the one started last. */
    private static final Comparator<JsonNode> RUNNING_THEN_LATEST =
            Comparator.comparing((JsonNode job) -> !ENDED.contains(job.path("state").asText("")))
                    .thenComparingLong(job -> job.path("start-time").asLong(0));

    private final HttpClient http;
    private final URI overview;
    private final ObjectMapper mapper;

    /**
     * @param restUrl the Flink REST API, e.g. {@code http://jobmanager:8081}
     */
    public FlinkJobOverview(String restUrl, ObjectMapper mapper) {
        String base = restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl;
        this.overview = URI.create(base + "/jobs/overview");
        this.mapper = mapper;
        // HTTP/1.1: Flink's REST API does not speak HTTP/2, so an upgrade attempt would only cost
        // time
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(TIMEOUT)
                        .build();
    }

    /**
     * A job as the status endpoint shows it; all but {@code state} are null when it is {@code
     * unreachable} or {@code none} (Flink runs no job).
     *
     * @param state Flink's state, e.g. {@code RUNNING}, or {@code unreachable}, or {@code none}
     */
    public record Job(String state, String name, String id, Instant startTime) {

        static Job unreachable() {
            return new Job("unreachable", null, null, null);
        }
    }

    /** The job's state now. */
    public Job current() {
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            HttpRequest.newBuilder(overview)
                                    .timeout(TIMEOUT)
                                    .header("Accept", "application/json")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Job.unreachable();
        } catch (IOException e) {
            return Job.unreachable();
        }
        if (response.statusCode() != 200) {
            return Job.unreachable();
        }
        try {
            return pick(mapper.readTree(response.body()).path("jobs"));
        } catch (IOException e) {
            return Job.unreachable();
        }
    }

    static Job pick(JsonNode jobs) {
        JsonNode chosen = null;
        for (JsonNode job : jobs) {
            if (chosen == null || RUNNING_THEN_LATEST.compare(job, chosen) > 0) {
                chosen = job;
            }
        }
        if (chosen == null) {
            return new Job("none", null, null, null);
        }
        long start = chosen.path("start-time").asLong(-1);
        return new Job(
                chosen.path("state").asText(null),
                chosen.path("name").asText(null),
                chosen.path("jid").asText(null),
                start > 0 ? Instant.ofEpochMilli(start) : null);
    }
}
