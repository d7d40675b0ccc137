package io.barcast.core.backtest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a backtest replayed: the model, the symbols, the span of bar times and the bar interval, and
 * how many bars went in and forecasts came out. The report prints them as given.
 *
 * @param modelName the model's name
 * @param modelVersion the model's version
 * @param symbols the symbols replayed, in the order the report lists them
 * @param from the start of the replayed span (epoch ms)
 * @param to the end of the replayed span (epoch ms)
 * @param barInterval the bar length: a horizon of n bars is n of these
 * @param barsReplayed bars fed to the pipeline
 * @param forecastsMade forecasts the pipeline made
 */
public record RunFacts(
        String modelName,
        String modelVersion,
        List<String> symbols,
        long from,
        long to,
        Duration barInterval,
        long barsReplayed,
        long forecastsMade) {

    /**
     * @throws IllegalArgumentException when the span ends before it starts or the interval is not
     *     positive
     */
    public RunFacts {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        symbols = List.copyOf(symbols);
        Objects.requireNonNull(barInterval, "barInterval");
        if (to < from) {
            throw new IllegalArgumentException(
                    "span ends (" + to + ") before it starts (" + from + ")");
        }
        if (barInterval.isNegative() || barInterval.isZero()) {
            throw new IllegalArgumentException("barInterval must be positive, got " + barInterval);
        }
    }
}
