package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** How a model's output becomes a forecast: its band, confidence and trade recommendations. */
public final class ForecastOptions {

    public static final ConfigOption<Double> BAND_COVERAGE =
            key("band.coverage")
                    .doubleType()
                    .defaultValue(0.8)
                    .withDescription(
                            "Nominal coverage of the uncertainty band: the share of actual closes"
                                    + " it should hold, in (0, 1).");

    public static final ConfigOption<Integer> BAND_MIN_RESIDUALS =
            key("band.min-residuals")
                    .intType()
                    .defaultValue(30)
                    .withDescription(
                            "Validated forecast points a horizon step needs before its band comes"
                                    + " from the symbol's own residuals (split-conformal);"
                                    + " until then it comes from recent volatility.");

    public static final ConfigOption<Integer> BAND_RESIDUAL_WINDOW =
            key("band.residual-window")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Latest residuals kept per symbol and horizon step.");

    public static final ConfigOption<String> CONFIDENCE_WEIGHTS =
            key("confidence.weights")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Weights of the confidence factors as name=weight pairs, e.g."
                                    + " 'model_performance=0.3,data_quality=0.1'; factors not"
                                    + " named keep their default; all must sum to 1. See"
                                    + " docs/confidence.md.");

    public static final ConfigOption<Duration> CONFIDENCE_MODEL_AGE_GRACE =
            key("confidence.model-age-grace")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription("Model age (since training) before confidence decays.");

    public static final ConfigOption<Duration> CONFIDENCE_MODEL_AGE_HALF_LIFE =
            key("confidence.model-age-half-life")
                    .durationType()
                    .defaultValue(Duration.ofDays(180))
                    .withDescription("Past the grace, confidence halves every this much age.");

    public static final ConfigOption<Duration> CONFIDENCE_FEED_DELAY_GRACE =
            key("confidence.feed-delay-grace")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(20))
                    .withDescription(
                            "Delay of a live bar (from its end to its arrival) before confidence"
                                    + " decays. Replayed and simulated bars have no delay.");

    public static final ConfigOption<Duration> CONFIDENCE_FEED_DELAY_HALF_LIFE =
            key("confidence.feed-delay-half-life")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription("Past the grace, confidence halves every this much delay.");

    public static final ConfigOption<Double> RECOMMENDATION_MIN_PROFIT =
            key("recommendation.min-profit-percent")
                    .doubleType()
                    .defaultValue(2.0)
                    .withDescription(
                            "Smallest expected return, in percent, of a trade worth"
                                    + " recommending.");

    public static final ConfigOption<Double> RECOMMENDATION_MIN_CONFIDENCE =
            key("recommendation.min-confidence")
                    .doubleType()
                    .defaultValue(0.6)
                    .withDescription(
                            "Smallest forecast confidence, in [0, 1], for its trades to be"
                                    + " recommended.");

    private ForecastOptions() {}
}
