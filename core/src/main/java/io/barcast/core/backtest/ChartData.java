package io.barcast.core.backtest;

import java.util.List;
import java.util.Objects;

/**
 * What the HTML report draws for one symbol: the actual closes, and a sample of forecasts, each a
 * path of predicted closes with its band. Times are bar starts (epoch ms), ascending; a price is
 * the close of the bar starting at its time.
 *
 * @param symbol the symbol, as in the report's sections
 * @param times the actual bars' start times
 * @param closes the actual bars' closes
 * @param forecasts the forecasts to draw; the newest one's band is shaded
 */
public record ChartData(String symbol, long[] times, double[] closes, List<Forecast> forecasts) {

    /**
     * @throws IllegalArgumentException when times and closes differ in length
     */
    public ChartData {
        Objects.requireNonNull(symbol, "symbol");
        requireSameLength("closes", times, closes.length);
        forecasts = List.copyOf(forecasts);
    }

    /**
     * One forecast's path: the predicted close and its band at each future bar.
     *
     * @param asOf the forecast's as-of bar start: the path is drawn from the actual close there
     * @param times the future bars' start times
     * @param prices the predicted closes
     * @param lower the band's lower prices
     * @param upper the band's upper prices
     */
    public record Forecast(
            long asOf, long[] times, double[] prices, double[] lower, double[] upper) {

        /**
         * @throws IllegalArgumentException when the arrays differ in length
         */
        public Forecast {
            requireSameLength("prices", times, prices.length);
            requireSameLength("lower", times, lower.length);
            requireSameLength("upper", times, upper.length);
        }
    }

    private static void requireSameLength(String name, long[] times, int length) {
        if (times.length != length) {
            throw new IllegalArgumentException(
                    name + " has " + length + " values for " + times.length + " times");
        }
    }
}
