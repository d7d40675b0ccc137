package io.barcast.api.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A forecast in full: the {@link ForecastSummary} fields, the predicted path with its band, the
 * confidence with its factors, and how the inference ran. {@code band} and {@code confidenceDetail}
 * are null for forecasts written before barcast had them.
 */
public record Forecast(
        @JsonUnwrapped ForecastSummary summary,
        List<PathPoint> path,
        Band band,
        ConfidenceDetail confidenceDetail,
        int batchSize,
        long inferenceMicros,
        Instant receivedAt,
        @JsonIgnore Instant writtenAt) {

    /**
     * A bar of the path: its start, the predicted close, and the band around it ({@code lower} and
     * {@code upper} are null for forecasts written before barcast made bands).
     */
    public record PathPoint(Instant time, double price, Double lower, Double upper) {}

    /** How the band around the path was made, and the share of prices it should hold. */
    public record Band(String method, Double coverage) {}

    /** The confidence, its level, the decay it includes, and its factors by name. */
    public record ConfidenceDetail(
            double value, String level, Double decay, Map<String, Double> factors) {}

    /**
     * A strong entity tag of this forecast: its id and when its row was last written (the job
     * rewrites a row only when its content changes), so a client that holds it can ask with {@code
     * If-None-Match} whether anything changed.
     */
    public String etag() {
        long micros = writtenAt.getEpochSecond() * 1_000_000L + writtenAt.getNano() / 1_000L;
        return "\"" + summary.predictionId() + "-" + Long.toString(micros, 36) + "\"";
    }
}
