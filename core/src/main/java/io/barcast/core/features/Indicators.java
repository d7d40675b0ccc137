package io.barcast.core.features;

/**
 * Technical indicators over a symbol's recent bars, shared by the model's features and the
 * confidence score so both read the market the same way. Each looks back from the current bar
 * ({@code back = 0}); the caller makes sure enough bars are there.
 */
public final class Indicators {

    private Indicators() {}

    /**
     * Cutler's RSI in [0, 100] over the last {@code period} close changes: 100 - 100 / (1 + mean
     * gain / mean loss). No loss at all reads as 100, or 50 when prices did not move.
     */
    public static double rsi(RecentBars bars, int period) {
        double gain = 0;
        double loss = 0;
        for (int k = 0; k < period; k++) {
            double change = bars.close(k) - bars.close(k + 1);
            gain += Math.max(change, 0);
            loss += Math.max(-change, 0);
        }
        gain /= period;
        loss /= period;
        if (loss == 0) {
            return gain > 0 ? 100 : 50;
        }
        return 100 - 100 / (1 + gain / loss);
    }

    /** The current close over the mean of the last {@code count} closes, minus 1. */
    public static double closeOverMean(RecentBars bars, int count) {
        double sum = 0;
        for (int k = 0; k < count; k++) {
            sum += bars.close(k);
        }
        return bars.close(0) / (sum / count) - 1;
    }
}
