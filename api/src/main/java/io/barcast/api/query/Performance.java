package io.barcast.api.query;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A symbol's forecast accuracy in one horizon bucket ({@code 1h}, {@code 1d}, {@code 1w}, {@code
 * all}) over a period; the figures sit beside symbol and horizon in the JSON.
 */
public record Performance(String symbol, String horizon, @JsonUnwrapped AccuracyFigures figures) {}
