package io.barcast.core.features;

/**
 * The features barcast knows, by the name a model's {@code model.json} uses. Each definition is
 * mirrored by {@code models/training/features.py}; {@code FeatureGoldenTest} holds the two equal.
 */
enum Feature {
    /** ln(c0 / c1): the current bar's log return. */
    LOG_RETURN("log_return", 2) {
        @Override
        double compute(RecentBars bars) {
            return Math.log(bars.close(0) / bars.close(1));
        }
    },
    /** ln(high / low). */
    RANGE("range", 1) {
        @Override
        double compute(RecentBars bars) {
            return Math.log(bars.high(0) / bars.low(0));
        }
    },
    /** ln(close / open). */
    BODY("body", 1) {
        @Override
        double compute(RecentBars bars) {
            return Math.log(bars.close(0) / bars.open(0));
        }
    },
    /** c0 / mean(c0..c9) - 1. */
    CLOSE_SMA10("close_sma10", 10) {
        @Override
        double compute(RecentBars bars) {
            return Indicators.closeOverMean(bars, 10);
        }
    },
    /** c0 / mean(c0..c19) - 1. */
    CLOSE_SMA20("close_sma20", 20) {
        @Override
        double compute(RecentBars bars) {
            return Indicators.closeOverMean(bars, 20);
        }
    },
    /**
     * Cutler's RSI over the last 14 close changes, mapped from [0, 100] to [-0.5, 0.5]: 0 is as
     * much gain as loss. No loss at all reads as 100 (or 50 when prices did not move).
     */
    RSI14("rsi14", 15) {
        @Override
        double compute(RecentBars bars) {
            return Indicators.rsi(bars, 14) / 100 - 0.5;
        }
    },
    /** z-score of ln(1 + volume) against the last 20 bars (population std); 0 when flat. */
    VOLUME_Z20("volume_z20", 20) {
        @Override
        double compute(RecentBars bars) {
            double[] x = new double[20];
            double sum = 0;
            for (int k = 0; k < 20; k++) {
                x[k] = Math.log1p(bars.volume(k));
                sum += x[k];
            }
            double mean = sum / 20;
            double squares = 0;
            for (int k = 0; k < 20; k++) {
                squares += (x[k] - mean) * (x[k] - mean);
            }
            double std = Math.sqrt(squares / 20);
            return std < 1e-12 ? 0 : (x[0] - mean) / std;
        }
    },
    /** sqrt(mean(r0^2..r19^2)) over the last 20 log returns. */
    REALIZED_VOL20("realized_vol20", 21) {
        @Override
        double compute(RecentBars bars) {
            double squares = 0;
            for (int k = 0; k < 20; k++) {
                double r = Math.log(bars.close(k) / bars.close(k + 1));
                squares += r * r;
            }
            return Math.sqrt(squares / 20);
        }
    },
    /** The share of the bar's range above its body; 0 for a bar without range. */
    UPPER_WICK("upper_wick", 1) {
        @Override
        double compute(RecentBars bars) {
            double range = bars.high(0) - bars.low(0);
            return range == 0 ? 0 : (bars.high(0) - Math.max(bars.open(0), bars.close(0))) / range;
        }
    },
    /** The share of the bar's range below its body; 0 for a bar without range. */
    LOWER_WICK("lower_wick", 1) {
        @Override
        double compute(RecentBars bars) {
            double range = bars.high(0) - bars.low(0);
            return range == 0 ? 0 : (Math.min(bars.open(0), bars.close(0)) - bars.low(0)) / range;
        }
    };

    private final String featureName;
    private final int lookback;

    Feature(String featureName, int lookback) {
        this.featureName = featureName;
        this.lookback = lookback;
    }

    String featureName() {
        return featureName;
    }

    /** Bars needed, the current one included. */
    int lookback() {
        return lookback;
    }

    abstract double compute(RecentBars bars);
}
