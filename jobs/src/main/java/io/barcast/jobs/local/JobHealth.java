package io.barcast.jobs.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the Flink web UI shows of a running job's failures, read from its REST API: the job's state,
 * how often it restarted, and the root cause of the latest failure in one line. The local runner
 * prints it with its progress, so a job that keeps restarting does not look healthy.
 */
public final class JobHealth {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int CAUSE_CHARS = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper mapper = Json.newMapper();
    private final String jobUrl;

    /**
     * @param restUrl the cluster's REST address, e.g. {@code http://127.0.0.1:8081}
     */
    public JobHealth(String restUrl, String jobId) {
        this.jobUrl = restUrl + "/jobs/" + jobId;
    }

    /** A look at the job now; null fields where the REST API did not answer. */
    public Snapshot read() {
        try {
            String state = get("").path("state").asText(null);
            long restarts = 0;
            for (JsonNode metric : get("/metrics?get=numRestarts")) {
                restarts = metric.path("value").asLong(0);
            }
            String cause = null;
            if (restarts > 0 || "RESTARTING".equals(state) || "FAILING".equals(state)) {
                JsonNode entries =
                        get("/exceptions?maxExceptions=1").path("exceptionHistory").path("entries");
                if (entries.size() > 0) {
                    cause = rootCause(entries.get(0).path("stacktrace").asText(""));
                }
            }
            return new Snapshot(state, restarts, cause);
        } catch (Exception e) {
            return new Snapshot(null, 0, null);
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(jobUrl + path)).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
        return mapper.readTree(response.body());
    }

    /** The innermost "Caused by" of a Java stack trace (else its first line), as one short line. */
    static String rootCause(String stacktrace) {
        String cause = null;
        for (String line : stacktrace.split("\\R")) {
            if (cause == null && !line.isBlank()) {
                cause = line.trim();
            }
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length()).trim();
            }
        }
        if (cause == null) {
            return null;
        }
        cause = cause.replaceFirst("^(?:[a-z][a-z0-9_]*\\.)+(?=[A-Z])", "");
        return cause.length() <= CAUSE_CHARS ? cause : cause.substring(0, CAUSE_CHARS) + "…";
    }

    /** The job's state, its restarts so far, and the latest failure's root cause or null. */
    public record Snapshot(String state, long restarts, String lastCause) {

        /** The part of a progress line about failures; empty while the job never failed. */
        String describe() {
            if (restarts == 0 && !"RESTARTING".equals(state)) {
                return "";
            }
            String what = "RESTARTING".equals(state) ? "RESTARTING, restarts " : "restarts ";
            return " | "
                    + what
                    + restarts
                    + (lastCause == null ? "" : " (last: " + lastCause + ")");
        }
    }
}
