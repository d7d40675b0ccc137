package io.barcast.core.forecast;

import java.util.Arrays;

/**
 * The lower and upper price of a forecast at each bar of its path, meant to hold the actual close
 * with a nominal probability (the coverage, e.g. 0.8).
 *
 * <p>Three ways to make one, best first:
 *
 * <ol>
 *   <li>{@code model_quantiles}: the model's own quantile outputs at the levels {@code (1 -
 *       coverage) / 2} and {@code (1 + coverage) / 2} (linear between the levels it has).
 *   <li>{@code conformal}: split-conformal from the symbol's recent forecast residuals at each
 *       model step, {@code r = ln(actual / predicted)}: the {@code floor((n + 1) a/2)}-th smallest
 *       and the {@code ceil((n + 1)(1 - a/2))}-th smallest of the last {@code n} residuals, {@code
 *       a = 1 - coverage}. A step needs at least {@code minResiduals} of them.
 *   <li>{@code volatility}, the fallback for steps without enough residuals: {@code +- z sigma
 *       sqrt(k)} in log price, {@code sigma} the standard deviation of the symbol's recent
 *       15-minute log returns, {@code k} the step in bars and {@code z} the normal quantile of
 *       {@code (1 + coverage) / 2}: what a random walk with the recent volatility would give.
 * </ol>
 *
 * When some steps are conformal and others still on the fallback, the method is {@code
 * conformal_partial}. Between the model's steps the band's log offsets are interpolated like the
 * path itself ({@link ForecastPath#interpolate}).
 */
public record UncertaintyBand(double[] lower, double[] upper, String method) {

    public static final String MODEL_QUANTILES = "model_quantiles";
    public static final String CONFORMAL = "conformal";
    public static final String CONFORMAL_PARTIAL = "conformal_partial";
    public static final String VOLATILITY = "volatility";

    /**
     * The band from a quantile model's output, or null when its levels do not reach the coverage.
     *
     * @param levels the model's quantile levels, ascending
     * @param quantileLogReturns the model output, step-major: cumulative log return at each step
     *     and level
     * @param prices the forecast path (the median), one price per future bar
     */
    public static UncertaintyBand fromQuantiles(
            int[] steps,
            double[] levels,
            float[] quantileLogReturns,
            double[] pointLogReturns,
            double coverage,
            double[] prices) {
        double lowLevel = (1 - coverage) / 2;
        double highLevel = (1 + coverage) / 2;
        if (levels.length < 2
                || lowLevel < levels[0] - 1e-9
                || highLevel > levels[levels.length - 1] + 1e-9) {
            return null;
        }
        double[] low = new double[steps.length];
        double[] high = new double[steps.length];
        for (int s = 0; s < steps.length; s++) {
            low[s] = atLevel(levels, quantileLogReturns, s, lowLevel) - pointLogReturns[s];
            high[s] = atLevel(levels, quantileLogReturns, s, highLevel) - pointLogReturns[s];
        }
        return around(prices, steps, low, high, MODEL_QUANTILES);
    }

    /**
     * The split-conformal band, falling back to volatility at steps with too few residuals.
     *
     * @param residuals per model step, the recent residuals {@code ln(actual / predicted)} (any
     *     order; not modified)
     * @param barVolatility standard deviation of recent one-bar log returns
     */
    public static UncertaintyBand conformal(
            int[] steps,
            double[][] residuals,
            int minResiduals,
            double coverage,
            double barVolatility,
            double[] prices) {
        double z = normalQuantile((1 + coverage) / 2);
        double[] low = new double[steps.length];
        double[] high = new double[steps.length];
        int conformalSteps = 0;
        int stepsOnPath = 0;
        for (int s = 0; s < steps.length; s++) {
            if (steps[s] <= prices.length) {
                stepsOnPath++;
            }
            double[] offsets = conformalOffsets(residuals[s], coverage, minResiduals);
            if (offsets != null) {
                low[s] = offsets[0];
                high[s] = offsets[1];
                if (steps[s] <= prices.length) {
                    conformalSteps++;
                }
            } else {
                double spread = z * barVolatility * Math.sqrt(steps[s]);
                low[s] = -spread;
                high[s] = spread;
            }
        }
        String method =
                conformalSteps == 0
                        ? VOLATILITY
                        : conformalSteps >= stepsOnPath ? CONFORMAL : CONFORMAL_PARTIAL;
        return around(prices, steps, low, high, method);
    }

    /**
     * The conformal lower and upper residual for {@code coverage}, or null when there are fewer
     * than {@code minResiduals} residuals or too few for the quantiles to exist.
     */
    static double[] conformalOffsets(double[] residuals, double coverage, int minResiduals) {
        int n = residuals == null ? 0 : residuals.length;
        if (n == 0 || n < minResiduals) {
            return null;
        }
        double alpha = 1 - coverage;
        int lowRank = (int) Math.floor((n + 1) * alpha / 2);
        int highRank = (int) Math.ceil((n + 1) * (1 - alpha / 2));
        if (lowRank < 1 || highRank > n) {
            return null;
        }
        double[] sorted = residuals.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[lowRank - 1], sorted[highRank - 1]};
    }

    private static double atLevel(double[] levels, float[] values, int step, double level) {
        int q = levels.length;
        int base = step * q;
        if (level <= levels[0]) {
            return values[base];
        }
        for (int i = 1; i < q; i++) {
            if (level <= levels[i]) {
                double fraction = (level - levels[i - 1]) / (levels[i] - levels[i - 1]);
                return values[base + i - 1] + fraction * (values[base + i] - values[base + i - 1]);
            }
        }
        return values[base + q - 1];
    }

    private static UncertaintyBand around(
            double[] prices, int[] steps, double[] low, double[] high, String method) {
        double[] lowPath = ForecastPath.interpolate(steps, low, prices.length);
        double[] highPath = ForecastPath.interpolate(steps, high, prices.length);
        double[] lower = new double[prices.length];
        double[] upper = new double[prices.length];
        for (int i = 0; i < prices.length; i++) {
            double a = prices[i] * Math.exp(lowPath[i]);
            double b = prices[i] * Math.exp(highPath[i]);
            lower[i] = Math.min(a, b);
            upper[i] = Math.max(a, b);
        }
        return new UncertaintyBand(lower, upper, method);
    }

    /**
     * The standard normal quantile, by Acklam's rational approximation (relative error below
     * 1.2e-9), which is all a band width needs.
     */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
        }
        double[] a = {
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
        };
        double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        double[] c = {
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
        };
        double[] d = {
            7.784695709041462e-03,
            3.224671290700398e-01,
            2.445134137142996e+00,
            3.754408661907416e+00
        };
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -normalQuantile(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
