package io.barcast.functions.track;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.ForecastReason;
import io.barcast.core.Prediction;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Judges a symbol's forecasts and asks for help when they go wrong: a reprediction (on {@link
 * PredictionTracker#REPREDICTIONS}) when a point misses by more than the drift threshold or the
 * rolling accuracy drops, at most once per cooldown; a retrain (on {@link
 * PredictionTracker#RETRAINS}) when skill stays low too long; alerts (on {@link
 * PredictionTracker#ALERTS}) for an accuracy drop, low confidence and feed lag. The thresholds are
 * the {@link MonitorSettings}.
 *
 * <p>State: the value {@code forecast-health} ({@link ForecastHealth}), and the subtask's {@link
 * FlaggedSymbols} in memory for the gauges {@code symbolsLowAccuracy} and {@code symbolsLowSkill}.
 * No timers.
 */
final class HealthWatch {

    private final MonitorSettings monitor;
    private final ValueState<ForecastHealth> health;
    private final Counter repredictionsAsked;
    private final Counter retrainsAsked;
    private final FlaggedSymbols flagged = new FlaggedSymbols();

    HealthWatch(MonitorSettings monitor, RuntimeContext context) {
        this.monitor = monitor;
        this.health = context.getState(healthDescriptor());
        MetricGroup metrics = context.getMetricGroup();
        this.repredictionsAsked = metrics.counter("repredictionRequests");
        this.retrainsAsked = metrics.counter("retrainRequests");
        metrics.gauge("symbolsLowAccuracy", (Gauge<Integer>) flagged::lowAccuracy);
        metrics.gauge("symbolsLowSkill", (Gauge<Integer>) flagged::lowSkill);
    }

    static ValueStateDescriptor<ForecastHealth> healthDescriptor() {
        return new ValueStateDescriptor<>("forecast-health", ForecastHealth.class);
    }

    /** The symbols the gauges count. */
    FlaggedSymbols flagged() {
        return flagged;
    }

    /**
     * Asks for a reprediction when the point a bar settled furthest off missed by more than the
     * drift threshold.
     *
     * @param worst the validation furthest off, or null when the bar settled none
     */
    void judgePoint(String symbol, long barTime, Validation worst, Emitter out) throws Exception {
        double threshold = 100 * monitor.driftThreshold();
        boolean missed = worst != null && Math.abs(worst.errorPercent()) > threshold;
        if (!missed) {
            return;
        }
        ForecastHealth current = healthOf();
        boolean asked =
                askReprediction(
                        current,
                        symbol,
                        ForecastReason.VALIDATION_DRIFT,
                        String.format(
                                Locale.ROOT,
                                "the forecast of %s, %d bars ahead, was off by %.2f%% (threshold"
                                        + " %.2f%%)",
                                Instant.ofEpochMilli(worst.asOf()),
                                worst.horizonBars(),
                                worst.errorPercent(),
                                threshold),
                        barTime,
                        out);
        if (asked) {
            health.update(current);
        }
    }

    /**
     * Judges the rolling figures of a forecast's bar: an accuracy drop asks for a reprediction and
     * raises an alert once per drop; skill below the threshold for long enough asks for a retrain.
     * Low confidence raises an alert.
     *
     * @param overall the rolling accuracy over all steps, or null before any point was settled
     */
    void judgeForecast(Prediction prediction, Accuracy overall, Emitter out) throws Exception {
        String symbol = prediction.symbol();
        long asOf = prediction.asOf();
        if (prediction.confidence() < monitor.lowConfidence()) {
            out.emit(
                    PredictionTracker.ALERTS,
                    Alert.of(
                            Alert.INFO,
                            Alert.LOW_CONFIDENCE,
                            symbol,
                            String.format(
                                    Locale.ROOT,
                                    "forecast as of %s has confidence %.2f (%s), below %.2f",
                                    Instant.ofEpochMilli(asOf),
                                    prediction.confidence(),
                                    prediction.confidenceLevel(),
                                    monitor.lowConfidence()),
                            Long.toString(asOf),
                            asOf));
        }
        if (overall == null || overall.points() < monitor.minAccuracyPoints()) {
            return;
        }
        ForecastHealth stored = health.value();
        ForecastHealth current = stored == null ? new ForecastHealth() : stored.copy();
        boolean repredicted = ForecastReason.isReprediction(prediction.reason());
        Double direction = overall.directionalAccuracy();
        boolean low = direction != null && direction < monitor.minDirectionalAccuracy();
        if (low && !current.accuracyLow) {
            String detail =
                    String.format(
                            Locale.ROOT,
                            "rolling directional accuracy fell to %.3f over %d points (threshold"
                                    + " %.3f); skill against no change %s",
                            direction,
                            overall.points(),
                            monitor.minDirectionalAccuracy(),
                            overall.skill() == null
                                    ? "unknown"
                                    : String.format(Locale.ROOT, "%.3f", overall.skill()));
            out.emit(
                    PredictionTracker.ALERTS,
                    Alert.of(
                            Alert.WARNING,
                            Alert.ACCURACY_DROP,
                            symbol,
                            detail,
                            Long.toString(asOf),
                            asOf));
            if (!repredicted) {
                askReprediction(current, symbol, ForecastReason.ACCURACY_DROP, detail, asOf, out);
            }
        }
        current.accuracyLow = low;
        flagged.accuracy(symbol, low);

        if (!prediction.modelVersion().equals(current.modelVersion)) {
            current.modelVersion = prediction.modelVersion();
            current.skillLowSince = Long.MIN_VALUE;
            current.lastRetrain = Long.MIN_VALUE;
        }
        Double skill = overall.skill();
        flagged.skill(symbol, skill != null && skill < monitor.retrainSkillThreshold());
        if (skill == null || skill >= monitor.retrainSkillThreshold()) {
            current.skillLowSince = Long.MIN_VALUE;
        } else {
            if (current.skillLowSince == Long.MIN_VALUE || current.skillLowSince > asOf) {
                current.skillLowSince = asOf;
            }
            long after = monitor.retrainAfter().toMillis();
            boolean longEnough = asOf - current.skillLowSince >= after;
            boolean notAskedLately =
                    current.lastRetrain == Long.MIN_VALUE || asOf - current.lastRetrain >= after;
            if (longEnough && notAskedLately) {
                current.lastRetrain = asOf;
                retrainsAsked.inc();
                out.emit(PredictionTracker.RETRAINS, retrainRequest(prediction, overall, current));
            }
        }
        if (!current.sameAs(stored)) {
            // one small write per forecast otherwise: only what changed is stored
            health.update(current);
        }
    }

    /** Raises an alert when a live bar reached the tracker more than the feed lag after its end. */
    void judgeFeedDelay(String symbol, long asOf, long feedDelay, Emitter out) {
        if (feedDelay <= monitor.feedLag().toMillis()) {
            return;
        }
        out.emit(
                PredictionTracker.ALERTS,
                Alert.of(
                        Alert.WARNING,
                        Alert.FEED_LAG,
                        symbol,
                        "the bar at "
                                + Instant.ofEpochMilli(asOf)
                                + " reached barcast "
                                + Duration.ofMillis(feedDelay).toMinutes()
                                + " min after it ended (alert above "
                                + monitor.feedLag().toMinutes()
                                + " min)",
                        Long.toString(asOf),
                        asOf));
    }

    /** Forgets the symbol: its health, and its place in the gauges. */
    void clear(String symbol) {
        health.clear();
        flagged.forget(symbol);
    }

    /**
     * Asks for a reprediction unless the symbol's cooldown is still running; the caller stores
     * {@code current}.
     *
     * @return whether it asked (and so changed {@code current})
     */
    private boolean askReprediction(
            ForecastHealth current,
            String symbol,
            ForecastReason cause,
            String detail,
            long barTime,
            Emitter out) {
        if (!current.mayRepredict(barTime, monitor.repredictionCooldown().toMillis())) {
            return false;
        }
        current.lastReprediction = barTime;
        repredictionsAsked.inc();
        out.emit(
                PredictionTracker.REPREDICTIONS,
                RepredictionRequest.of(symbol, cause, detail, barTime, System.currentTimeMillis()));
        return true;
    }

    private ForecastHealth healthOf() throws Exception {
        ForecastHealth current = health.value();
        return current == null ? new ForecastHealth() : current;
    }

    private RetrainRequest retrainRequest(
            Prediction prediction, Accuracy overall, ForecastHealth current) {
        double threshold = monitor.retrainSkillThreshold();
        return new RetrainRequest(
                RetrainRequest.idOf(
                        prediction.symbol(), prediction.modelVersion(), current.skillLowSince),
                prediction.symbol(),
                prediction.modelFolder(),
                prediction.modelVersion(),
                current.skillLowSince,
                prediction.asOf(),
                overall.skill(),
                threshold,
                overall.maePercent(),
                overall.naiveMaePercent(),
                overall.points(),
                String.format(
                        Locale.ROOT,
                        "%s: model %s %s has had skill below %.3f against no change since %s"
                                + " (now %.3f over %d points: error %.3f%%, no change %.3f%%)",
                        prediction.symbol(),
                        prediction.modelFolder(),
                        prediction.modelVersion(),
                        threshold,
                        Instant.ofEpochMilli(current.skillLowSince),
                        overall.skill(),
                        overall.points(),
                        overall.maePercent(),
                        overall.naiveMaePercent()));
    }
}
