package io.barcast.functions.forecast;

/**
 * Valid bars that got no forecast: the model failed on a window (an ONNX Runtime error, values that
 * are not finite, its version retired meanwhile) or did not answer in time.
 */
public class ForecastFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String symbol;

    /**
     * @param symbol the window's symbol, or null when the whole call failed (a timeout)
     */
    public ForecastFailedException(String symbol, String message) {
        super(message);
        this.symbol = symbol;
    }

    /** The symbol whose window failed, or null when the whole call did. */
    public String symbol() {
        return symbol;
    }
}
