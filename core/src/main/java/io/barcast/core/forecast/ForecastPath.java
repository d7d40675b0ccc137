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
        double[] values = new double[logReturns.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = logReturns[i];
        }
        double[] prices = interpolate(horizonSteps, values, bars);
        for (int i = 0; i < bars; i++) {
            prices[i] = lastClose * Math.exp(prices[i]);
        }
        return prices;
    }

    /**
     * A value given at the model's steps, for every future bar 1..{@code bars}: linear between
     * steps, from 0 at step 0, and held past the last step.
     */
    public static double[] interpolate(int[] horizonSteps, double[] values, int bars) {
        double[] out = new double[bars];
        int segment = 0;
        for (int step = 1; step <= bars; step++) {
            while (segment < horizonSteps.length && horizonSteps[segment] < step) {
                segment++;
            }
            if (segment >= horizonSteps.length) {
                out[step - 1] = values[horizonSteps.length - 1];
            } else {
                int upperStep = horizonSteps[segment];
                double upper = values[segment];
                int lowerStep = segment == 0 ? 0 : horizonSteps[segment - 1];
                double lower = segment == 0 ? 0.0 : values[segment - 1];
                double fraction = (double) (step - lowerStep) / (upperStep - lowerStep);
                out[step - 1] = lower + fraction * (upper - lower);
            }
        }
        return out;
    }
}
