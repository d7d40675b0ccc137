package io.barcast.core.confidence;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ten factors of a forecast's confidence, in the order scores and weights list them. Each is a
 * value in [0, 1] defined by one function of {@link ConfidenceFactors}; its key is the name
 * configuration, JSON and SQL use.
 */
public enum ConfidenceFactor {
    /** See {@link ConfidenceFactors#modelPerformance}. */
    MODEL_PERFORMANCE("model_performance", 0.25) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.modelPerformance(in.symbolRecord(), in.heldOutRecord());
        }
    },
    /** See {@link ConfidenceFactors#dataQuality}. */
    DATA_QUALITY("data_quality", 0.15) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.dataQuality(in.window(), in.calendar(), in.interval());
        }
    },
    /** See {@link ConfidenceFactors#marketVolatility}. */
    MARKET_VOLATILITY("market_volatility", 0.15) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.marketVolatility(in.window());
        }
    },
    /** See {@link ConfidenceFactors#trendConsistency}. */
    TREND_CONSISTENCY("trend_consistency", 0.10) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.trendConsistency(in.window(), in.lastClose(), in.pathPrices());
        }
    },
    /** See {@link ConfidenceFactors#volumeAnalysis}. */
    VOLUME_ANALYSIS("volume_analysis", 0.10) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.volumeAnalysis(in.window());
        }
    },
    /** See {@link ConfidenceFactors#technicalIndicators}. */
    TECHNICAL_INDICATORS("technical_indicators", 0.10) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.technicalIndicators(
                    in.window(), in.lastClose(), in.pathPrices());
        }
    },
    /** See {@link ConfidenceFactors#timeOfDay}. */
    TIME_OF_DAY("time_of_day", 0.05) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.timeOfDay(in.calendar(), in.interval(), in.asOf());
        }
    },
    /** See {@link ConfidenceFactors#marketRegime}. */
    MARKET_REGIME("market_regime", 0.05) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.marketRegime(in.window());
        }
    },
    /** See {@link ConfidenceFactors#predictionStability}. */
    PREDICTION_STABILITY("prediction_stability", 0.03) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.predictionStability(
                    in.window(),
                    in.pathTimes(),
                    in.pathPrices(),
                    in.previousTimes(),
                    in.previousPrices());
        }
    },
    /** See {@link ConfidenceFactors#historicalAccuracy}. */
    HISTORICAL_ACCURACY("historical_accuracy", 0.02) {
        @Override
        double compute(ConfidenceInputs in) {
            return ConfidenceFactors.historicalAccuracy(in.symbolRecord(), in.heldOutRecord());
        }
    };

    private final String key;
    private final double defaultWeight;

    ConfidenceFactor(String key, double defaultWeight) {
        this.key = key;
        this.defaultWeight = defaultWeight;
    }

    /** The snake_case name, e.g. {@code model_performance}. */
    public String key() {
        return key;
    }

    /** The factor's weight unless configured otherwise; the defaults sum to 1. */
    public double defaultWeight() {
        return defaultWeight;
    }

    /**
     * The factor named {@code key}.
     *
     * @throws IllegalArgumentException naming the key and the known keys
     */
    public static ConfidenceFactor ofKey(String key) {
        for (ConfidenceFactor factor : values()) {
            if (factor.key.equals(key)) {
                return factor;
            }
        }
        throw new IllegalArgumentException(
                "unknown confidence factor "
                        + key
                        + "; known: "
                        + Arrays.stream(values())
                                .map(ConfidenceFactor::key)
                                .collect(Collectors.joining(", ")));
    }

    /** The factor's value in [0, 1] for one forecast. */
    abstract double compute(ConfidenceInputs in);
}
