package io.barcast.api.query;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.LocalDate;

/**
 * A symbol's forecast accuracy in one horizon bucket over the points whose target bar lies in one
 * UTC day; the figures sit beside day and horizon in the JSON.
 */
public record DailyPerformance(
        LocalDate day, String horizon, @JsonUnwrapped AccuracyFigures figures) {}
