package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** How barcast watches its own forecasts: repredictions, retrain requests and alerts. */
public final class MonitorOptions {

    public static final ConfigOption<Double> VALIDATION_THRESHOLD =
            key("validation.threshold")
                    .doubleType()
                    .defaultValue(0.02)
                    .withDescription(
                            "A validated forecast point this far from the actual close (a"
                                    + " fraction: 0.02 is two percent) asks for a reprediction of its"
                                    + " symbol.");

    public static final ConfigOption<Double> VALIDATION_ACCURACY_THRESHOLD =
            key("validation.accuracy-threshold")
                    .doubleType()
                    .defaultValue(0.4)
                    .withDescription(
                            "Rolling directional accuracy (all horizons) below this asks for a"
                                    + " reprediction and raises an accuracy_drop alert.");

    public static final ConfigOption<Integer> VALIDATION_MIN_POINTS =
            key("validation.min-points")
                    .intType()
                    .defaultValue(50)
                    .withDescription(
                            "Validated points the rolling accuracy needs before it is judged"
                                    + " (accuracy drops and retrain requests).");

    public static final ConfigOption<Duration> REPREDICTION_COOLDOWN =
            key("reprediction.cooldown")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "After asking for a reprediction, a symbol's next request waits this"
                                    + " long in market time (and there is at most one per bar).");

    public static final ConfigOption<Boolean> REPREDICTION_LOOP =
            key("reprediction.loop")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Read the repredictions topic back into the job, so requests (barcast's"
                                    + " own and people's) are answered. Off: requests are only"
                                    + " published.");

    public static final ConfigOption<Double> RETRAIN_SKILL_THRESHOLD =
            key("retrain.skill-threshold")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Rolling skill against the naive no-change forecast (all horizons)"
                                    + " below this, for retrain.after, asks for a retrain.");

    public static final ConfigOption<Duration> RETRAIN_AFTER =
            key("retrain.after")
                    .durationType()
                    .defaultValue(Duration.ofDays(2))
                    .withDescription(
                            "How long skill must stay below retrain.skill-threshold, in market"
                                    + " time; also the least time between two requests of a"
                                    + " symbol.");

    public static final ConfigOption<Double> ALERTS_LOW_CONFIDENCE =
            key("alerts.low-confidence")
                    .doubleType()
                    .defaultValue(0.3)
                    .withDescription("A forecast whose confidence is below this raises an alert.");

    public static final ConfigOption<Duration> ALERTS_FEED_LAG =
            key("alerts.feed-lag")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "A live bar (Polygon, Kafka) that reaches the job later than this"
                                    + " after it ended raises an alert.");

    public static final ConfigOption<Integer> ALERTS_DEAD_LETTERS_PER_MINUTE =
            key("alerts.dead-letters-per-minute")
                    .intType()
                    .defaultValue(20)
                    .withDescription(
                            "This many dead letters of one stage within a minute raise an alert.");

    public static final ConfigOption<Duration> ALERTS_MIN_INTERVAL =
            key("alerts.min-interval")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Alerts of one category and symbol come at most once in this time"
                                    + " (by the alerts' own times); the next one says how many"
                                    + " were held back.");

    private MonitorOptions() {}
}
