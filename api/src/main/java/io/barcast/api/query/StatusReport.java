package io.barcast.api.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * How barcast is doing, at a glance: how fresh its bars and forecasts are, how many forecasts,
 * trades, alerts and dead letters it made lately, and the state of its Flink job ({@code job} is
 * null when the API does not know where the job runs).
 */
public record StatusReport(
        Instant time,
        Bars bars,
        Forecasts forecasts,
        Recommendations recommendations,
        long alertsLastHour,
        long deadLettersLastHour,
        FlinkJobOverview.Job job) {

    /**
     * @param newestBarTime the start of the newest bar of any symbol
     * @param newestWrittenAt when the newest bars of the symbols were last written
     * @param lagSeconds seconds from {@code newestBarTime} to {@code time}; null without bars
     */
    public record Bars(
            long symbols, Instant newestBarTime, Instant newestWrittenAt, Long lagSeconds) {}

    /**
     * @param newestAsOf the as-of bar of the newest forecast of any symbol
     * @param newestPredictedAt when the last forecast was made
     * @param lagSeconds seconds from {@code newestAsOf} to {@code time}; null without forecasts
     * @param lastHour forecasts made in the hour before {@code time}
     * @param models forecasts made in the 24 hours before {@code time}, by model
     */
    public record Forecasts(
            long symbols,
            Instant newestAsOf,
            Instant newestPredictedAt,
            Long lagSeconds,
            long lastHour,
            List<ModelForecasts> models) {}

    public record ModelForecasts(
            String modelName,
            String modelVersion,
            @JsonProperty("forecasts_24h") long forecasts24h) {}

    public record Recommendations(long active) {}
}
