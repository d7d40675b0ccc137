package io.barcast.core.forecast;

/**
 * Turns a direct multi-horizon model output (cumulative log return at a few horizon steps) into a
 * price for every bar of the forecast week.
 *
 * <p>Between the model's steps the cumulative log return is interpolated linearly (from 0 at step
 * 0, the last close); past the model's last step it is held, so a path never extrapolates beyond
 * what the model said.
 */
public final class ForecastPath {

    private ForecastPath() {}

    /**
     * @param horizonSteps the model's steps, ascending, in bars (e.g. 1, 2, 4, ... 672)
     * @param logReturns the model's cumulative log return at each step
     * @param lastClose the close the path starts from
     * @param bars how many future bars the path has
     * @return the predicted close of future bars 1..bars
     */
    public static double[] prices(
            int[] horizonSteps, float[] logReturns, double lastClose, int bars) {
        if (horizonSteps.length != logReturns.length || horizonSteps.length == 0) {
            throw new IllegalArgumentException(
                    "model output has "
                            + logReturns.length
                            + " values for "
                            + horizonSteps.length
                            + " horizon steps");
        }
        double[] prices = new double[bars];
        int segment = 0;
        for (int step = 1; step <= bars; step++) {
            while (segment < horizonSteps.length && horizonSteps[segment] < step) {
                segment++;
            }
            double logReturn;
            if (segment >= horizonSteps.length) {
                logReturn = logReturns[horizonSteps.length - 1];
            } else {
                int upperStep = horizonSteps[segment];
                double upper = logReturns[segment];
                int lowerStep = segment == 0 ? 0 : horizonSteps[segment - 1];
                double lower = segment == 0 ? 0.0 : logReturns[segment - 1];
                double fraction = (double) (step - lowerStep) / (upperStep - lowerStep);
                logReturn = lower + fraction * (upper - lower);
            }
            prices[step - 1] = lastClose * Math.exp(logReturn);
        }
        return prices;
    }
}
