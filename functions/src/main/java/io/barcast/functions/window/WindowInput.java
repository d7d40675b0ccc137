package io.barcast.functions.window;

import io.barcast.core.Bar;
import io.barcast.core.RepredictionRequest;

/**
 * What reaches a symbol's window on its keyed input: a bar, or a request to forecast the symbol
 * again. Exactly one of the two is set.
 */
public record WindowInput(Bar bar, RepredictionRequest reprediction) {

    public static WindowInput of(Bar bar) {
        return new WindowInput(bar, null);
    }

    public static WindowInput of(RepredictionRequest reprediction) {
        return new WindowInput(null, reprediction);
    }

    public String symbol() {
        return bar != null ? bar.symbol() : reprediction.symbol();
    }
}
