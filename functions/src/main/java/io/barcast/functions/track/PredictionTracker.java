package io.barcast.functions.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.confidence.BarWindow;
import io.barcast.core.json.Json;
import io.barcast.core.recommend.TradeFinder;
import io.barcast.core.recommend.TradeIdea;
import io.barcast.core.recommend.TradeSide;
import io.barcast.functions.DeadLetters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns model output into forecasts people can act on, and follows each forecast against the bars
 * that come later.
 *
 * <ul>
 *   <li>Input 1: {@link InferenceResult}s keyed by symbol. Input 2: the accepted bars, keyed by
 *       symbol, in time order per symbol.
 *   <li>Output: a {@link Prediction} per successful result, made by the {@link ForecastAssembler}:
 *       the path on the symbol's calendar, its uncertainty band, its confidence and factors. Trades
 *       on {@link #RECOMMENDATIONS}: the new ones, and the previous forecast's again as {@code
 *       superseded}. A {@link Validation} per forecast point (at the model's steps) when its bar
 *       comes, on {@link #VALIDATIONS}; the rolling accuracy per horizon bucket with every forecast
 *       on {@link #ACCURACY}; each trade's outcome on {@link #OUTCOMES}; reprediction requests (a
 *       point off by more than the drift threshold, rolling accuracy too low) on {@link
 *       #REPREDICTIONS}, retrain requests (skill low for too long) on {@link #RETRAINS}, and {@link
 *       #ALERTS}. Failed inferences on {@link DeadLetters#TAG} (and as an alert).
 *   <li>State per symbol: the latest bars; the forecast points (at the model's steps) waiting for
 *       their bar; per step, the latest settled points (residuals, and the naive forecast's error
 *       for the track record); the latest forecasts and the active trades; results waiting for
 *       their own bar; the trades followed to their outcome; the symbol's {@link ForecastHealth}.
 *   <li>Timers: an event-time timer {@code ttl} after the newest bar clears a silent symbol (its
 *       active trades are published as {@code expired}). A pending point whose bar does not come (a
 *       gap) is dropped when a later bar arrives.
 * </ul>
 *
 * A forecast made as of bar {@code T} is built from what was known at {@code T} only: the bars up
 * to {@code T} and the residuals those bars settled. Bars and results reach this operator on two
 * inputs in no fixed order, so a result that comes before its own bar waits for it, and later bars
 * that came first are left out. A replay or a recovery therefore gives the same band, confidence,
 * accuracy and trade outcomes. Reprediction and retrain requests are the exception: they depend on
 * when bars and results met here (their ids do not, so a recovery does not repeat them).
 */
public class PredictionTracker
        extends KeyedCoProcessFunction<String, InferenceResult, Bar, Prediction> {

    /** Each forecast point checked against the actual bar at its time. */
    public static final OutputTag<Validation> VALIDATIONS = new OutputTag<>("validations") {};

    /** Rolling accuracy per horizon bucket, with every forecast. */
    public static final OutputTag<Accuracy> ACCURACY = new OutputTag<>("accuracy") {};

    /** Requests to forecast a symbol again: they go round through Kafka to the symbol window. */
    public static final OutputTag<RepredictionRequest> REPREDICTIONS =
            new OutputTag<>("repredictions") {};

    /** Requests for a new model for a symbol whose forecasts lost their skill. */
    public static final OutputTag<RetrainRequest> RETRAINS = new OutputTag<>("retrains") {};

    /** Accuracy drops, low confidence, data gaps, feed lag, inference errors. */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("tracker-alerts") {};

    /** How each recommended trade turned out. */
    public static final OutputTag<TradeOutcome> OUTCOMES = new OutputTag<>("trade-outcomes") {};

    /** New trades, and superseded ones again with their new status. */
    public static final OutputTag<Recommendation> RECOMMENDATIONS =
            new OutputTag<>("recommendations") {};

    /**
     * Room in the bar and residual rings for bars that overtook the results still to be built: a
     * result may trail its symbol's bars by this many bars and still see exactly what it would have
     * seen in order. Further behind (a bulk replay of a few symbols can get there), it sees fewer
     * bars and residuals, never later ones.
     */
    static final int LAG_ROOM = 64;

    /**
     * How long after its bar should have ended a pending point waits for it. A point whose bar
     * never comes (the symbol stopped trading) is dropped by a timer then; one hour covers the feed
     * delay and revision grace of every source.
     */
    static final long PENDING_GRACE_MILLIS = Duration.ofHours(1).toMillis();

    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private final TrackerSettings settings;

    private transient ValueState<BarRing> recent;
    private transient MapState<Long, PendingPoints> pending;
    private transient MapState<Integer, ResidualRing> residuals;
    private transient ValueState<RecentForecasts> forecasts;
    private transient ListState<InferenceResult> waiting;
    private transient ValueState<ForecastHealth> health;
    private transient ListState<OpenTrade> openTrades;
    private transient ForecastAssembler assembler;
    private transient ObjectMapper mapper;
    private transient Counter forecastsOut;
    private transient Counter recommendationsOut;
    private transient Counter pointsValidated;
    private transient Counter repredictionsAsked;
    private transient Counter retrainsAsked;
    private transient Counter tradesSettled;
    private transient Histogram latency;
    private transient Histogram feedDelays;
    private transient FlaggedSymbols flagged;

    public PredictionTracker(TrackerSettings settings) {
        this.settings = settings;
    }

    public static ValueStateDescriptor<BarRing> recentDescriptor() {
        return new ValueStateDescriptor<>("recent-bars", BarRing.class);
    }

    public static MapStateDescriptor<Long, PendingPoints> pendingDescriptor() {
        return new MapStateDescriptor<>(
                "pending-points", Types.LONG, Types.POJO(PendingPoints.class));
    }

    public static MapStateDescriptor<Integer, ResidualRing> residualsDescriptor() {
        return new MapStateDescriptor<>("residuals", Types.INT, Types.POJO(ResidualRing.class));
    }

    public static ValueStateDescriptor<RecentForecasts> forecastsDescriptor() {
        return new ValueStateDescriptor<>("recent-forecasts", RecentForecasts.class);
    }

    public static ListStateDescriptor<InferenceResult> waitingDescriptor() {
        return new ListStateDescriptor<>("results-waiting-for-their-bar", InferenceResult.class);
    }

    public static ValueStateDescriptor<ForecastHealth> healthDescriptor() {
        return new ValueStateDescriptor<>("forecast-health", ForecastHealth.class);
    }

    public static ListStateDescriptor<OpenTrade> openTradesDescriptor() {
        return new ListStateDescriptor<>("open-trades", OpenTrade.class);
    }

    @Override
    public void open(OpenContext context) {
        var state = getRuntimeContext();
        recent = state.getState(recentDescriptor());
        pending = state.getMapState(pendingDescriptor());
        residuals = state.getMapState(residualsDescriptor());
        forecasts = state.getState(forecastsDescriptor());
        waiting = state.getListState(waitingDescriptor());
        health = state.getState(healthDescriptor());
        openTrades = state.getListState(openTradesDescriptor());
        assembler = new ForecastAssembler(settings);
        mapper = Json.newMapper();
        var metrics = getRuntimeContext().getMetricGroup();
        forecastsOut = metrics.counter("forecastsOut");
        recommendationsOut = metrics.counter("recommendationsOut");
        pointsValidated = metrics.counter("forecastPointsValidated");
        repredictionsAsked = metrics.counter("repredictionRequests");
        retrainsAsked = metrics.counter("retrainRequests");
        tradesSettled = metrics.counter("tradeOutcomes");
        latency =
                metrics.histogram(
                        "barToForecastLatencyMillis", new DescriptiveStatisticsHistogram(1000));
        feedDelays = metrics.histogram("feedDelayMillis", new DescriptiveStatisticsHistogram(1000));
        flagged = new FlaggedSymbols();
        metrics.gauge("symbolsLowAccuracy", (Gauge<Integer>) flagged::lowAccuracy);
        metrics.gauge("symbolsLowSkill", (Gauge<Integer>) flagged::lowSkill);
    }

    @Override
    public void processElement1(InferenceResult result, Context context, Collector<Prediction> out)
            throws Exception {
        if (!result.succeeded()) {
            context.output(DeadLetters.TAG, deadLetter(result));
            context.output(
                    ALERTS,
                    Alert.of(
                            Alert.WARNING,
                            Alert.INFERENCE,
                            result.symbol(),
                            "inference failed for the bar at "
                                    + Instant.ofEpochMilli(result.asOf())
                                    + " (model "
                                    + result.model().folder()
                                    + " "
                                    + result.model().version()
                                    + "): "
                                    + result.failure(),
                            Long.toString(result.asOf()),
                            result.asOf()));
            return;
        }
        BarRing bars = recent.value();
        if (bars == null || bars.newestTime() < result.asOf()) {
            // its bar is still on the way on the other input
            waiting.add(result);
            context.timerService()
                    .registerEventTimeTimer(result.asOf() + settings.ttl().toMillis());
            return;
        }
        forecast(result, bars, context, out);
    }

    @Override
    public void processElement2(Bar bar, Context context, Collector<Prediction> out)
            throws Exception {
        BarRing bars = recent.value();
        if (bars == null) {
            bars = BarRing.create(ForecastAssembler.RECENT_BARS + LAG_ROOM);
        }
        long previousNewest = bars.newestTime();
        if (bar.time() < previousNewest) {
            return; // the window turned it away already; nothing to learn from it
        }
        if (previousNewest != Long.MIN_VALUE) {
            context.timerService().deleteEventTimeTimer(previousNewest + settings.ttl().toMillis());
        }
        bars.add(bar);
        recent.update(bars);
        context.timerService().registerEventTimeTimer(bar.time() + settings.ttl().toMillis());
        if (bar.time() > previousNewest) {
            validate(bar, context);
            dropMissed(bar.symbol(), previousNewest, bar.time(), context);
            followTrades(bar, context);
        }
        releaseWaiting(bars, context, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Prediction> out)
            throws Exception {
        BarRing bars = recent.value();
        boolean silent = bars == null || bars.newestTime() + settings.ttl().toMillis() <= timestamp;
        if (!silent) {
            dropOverdue(timestamp);
            return;
        }
        RecentForecasts recentForecasts = forecasts.value();
        // Nobody will supersede them now: they expire with the symbol's state. At the end of a
        // bounded input every timer fires; the input ended there, not the symbol, so its trades
        // stay active.
        boolean endOfInput = context.timerService().currentWatermark() == Long.MAX_VALUE;
        if (recentForecasts != null && !endOfInput) {
            for (Recommendation trade : recentForecasts.active) {
                context.output(RECOMMENDATIONS, trade.expired());
            }
        }
        recent.clear();
        pending.clear();
        residuals.clear();
        forecasts.clear();
        waiting.clear();
        health.clear();
        openTrades.clear();
        flagged.forget(context.getCurrentKey());
    }

    /** The symbols the gauges count, for tests. */
    FlaggedSymbols flaggedSymbols() {
        return flagged;
    }

    /** Builds the forecasts whose bar has now arrived, oldest first. */
    private void releaseWaiting(BarRing bars, Context context, Collector<Prediction> out)
            throws Exception {
        List<InferenceResult> ready = new ArrayList<>();
        List<InferenceResult> still = new ArrayList<>();
        for (InferenceResult result : waiting.get()) {
            (result.asOf() <= bars.newestTime() ? ready : still).add(result);
        }
        if (ready.isEmpty()) {
            return;
        }
        waiting.update(still);
        ready.sort(Comparator.comparingLong(InferenceResult::asOf));
        for (InferenceResult result : ready) {
            forecast(result, bars, context, out);
        }
    }

    private void forecast(
            InferenceResult result, BarRing bars, Context context, Collector<Prediction> out)
            throws Exception {
        String symbol = result.symbol();
        long asOf = result.asOf();
        int[] steps = result.model().horizonSteps();
        Map<Integer, ResidualRing> rings = ringsOf(steps);
        RecentForecasts recentForecasts = forecasts.value();
        if (recentForecasts == null) {
            recentForecasts = new RecentForecasts();
        }
        int previous = recentForecasts.latestBefore(asOf);
        long feedDelay =
                settings.liveFeed()
                        ? result.receivedAt() - (asOf + settings.interval().toMillis())
                        : 0;
        ForecastAssembler.Assembled assembled =
                assembler.assemble(
                        result,
                        bars.window(asOf, ForecastAssembler.RECENT_BARS),
                        new ForecastAssembler.PastForecasts(
                                rings,
                                previous < 0 ? null : recentForecasts.times[previous],
                                previous < 0 ? null : recentForecasts.prices[previous]),
                        Duration.ofMillis(Math.max(0, feedDelay)));
        Prediction prediction = assembled.prediction();
        forecastsOut.inc();
        if (settings.liveFeed()) {
            feedDelays.update(Math.max(0, feedDelay));
        }
        latency.update(prediction.predictedAt() - prediction.receivedAt());
        out.collect(prediction);
        Accuracy overall = publishAccuracy(prediction, steps, rings, context);
        watchHealth(prediction, overall, context);
        if (settings.liveFeed() && feedDelay > settings.monitor().feedLag().toMillis()) {
            context.output(
                    ALERTS,
                    Alert.of(
                            Alert.WARNING,
                            Alert.FEED_LAG,
                            symbol,
                            "the bar at "
                                    + Instant.ofEpochMilli(asOf)
                                    + " reached barcast "
                                    + Duration.ofMillis(feedDelay).toMinutes()
                                    + " min after it ended (alert above "
                                    + settings.monitor().feedLag().toMinutes()
                                    + " min)",
                            Long.toString(asOf),
                            asOf));
        }

        publishTrades(
                prediction,
                result.sequence(),
                recommend(prediction, assembled.volatility()),
                recentForecasts,
                bars,
                context);
        remember(
                prediction,
                result.sequence(),
                steps,
                assembled.bias(),
                bars,
                recentForecasts,
                context);
    }

    /**
     * Settles the points waiting for this bar into their step's residuals and publishes their
     * validations.
     */
    private void validate(Bar bar, Context context) throws Exception {
        PendingPoints points = pending.get(bar.time());
        if (points == null) {
            return;
        }
        pending.remove(bar.time());
        Validation worst = null;
        for (int i = 0; i < points.size(); i++) {
            Validation validation =
                    settle(
                            context,
                            bar.symbol(),
                            points.predictionId[i],
                            points.asOf[i],
                            points.sequence[i],
                            points.step[i],
                            bar.time(),
                            points.predicted[i],
                            points.biasAt(i),
                            points.base[i],
                            bar.close(),
                            points.lower[i],
                            points.upper[i]);
            if (validation != null
                    && (worst == null
                            || Math.abs(validation.errorPercent())
                                    > Math.abs(worst.errorPercent()))) {
                worst = validation;
            }
        }
        double threshold = 100 * settings.monitor().driftThreshold();
        if (worst != null && Math.abs(worst.errorPercent()) > threshold) {
            ForecastHealth current = healthOf();
            boolean asked =
                    askReprediction(
                            current,
                            bar.symbol(),
                            RepredictionRequest.VALIDATION_DRIFT,
                            String.format(
                                    Locale.ROOT,
                                    "the forecast of %s, %d bars ahead, was off by %.2f%% (threshold"
                                            + " %.2f%%)",
                                    Instant.ofEpochMilli(worst.asOf()),
                                    worst.horizonBars(),
                                    worst.errorPercent(),
                                    threshold),
                            bar.time(),
                            context);
            if (asked) {
                health.update(current);
            }
        }
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
            String cause,
            String detail,
            long barTime,
            Context context) {
        if (!current.mayRepredict(barTime, settings.monitor().repredictionCooldown().toMillis())) {
            return false;
        }
        current.lastReprediction = barTime;
        repredictionsAsked.inc();
        context.output(
                REPREDICTIONS,
                RepredictionRequest.of(symbol, cause, detail, barTime, System.currentTimeMillis()));
        return true;
    }

    private ForecastHealth healthOf() throws Exception {
        ForecastHealth current = health.value();
        return current == null ? new ForecastHealth() : current;
    }

    /**
     * Publishes the rolling accuracy of each horizon bucket and over all steps, from the points
     * that bars up to the forecast's bar settled.
     *
     * @return the figures over all steps, or null before any point was settled
     */
    private Accuracy publishAccuracy(
            Prediction prediction, int[] steps, Map<Integer, ResidualRing> rings, Context context) {
        Map<String, RollingAccuracy> buckets = new TreeMap<>();
        RollingAccuracy all = new RollingAccuracy();
        for (int step : steps) {
            ResidualRing ring = rings.get(step);
            if (ring == null) {
                continue;
            }
            buckets.computeIfAbsent(Accuracy.bucketOf(step), b -> new RollingAccuracy())
                    .add(ring, prediction.asOf(), settings.residualWindow());
            all.add(ring, prediction.asOf(), settings.residualWindow());
        }
        buckets.put(Accuracy.ALL, all);
        Accuracy overall = null;
        for (Map.Entry<String, RollingAccuracy> bucket : buckets.entrySet()) {
            Accuracy accuracy =
                    bucket.getValue()
                            .toAccuracy(
                                    prediction.symbol(),
                                    prediction.asOf(),
                                    bucket.getKey(),
                                    prediction.modelVersion());
            if (accuracy != null) {
                context.output(ACCURACY, accuracy);
                if (bucket.getKey().equals(Accuracy.ALL)) {
                    overall = accuracy;
                }
            }
        }
        return overall;
    }

    /**
     * Judges the rolling figures of a forecast's bar: an accuracy drop asks for a reprediction and
     * raises an alert once per drop; skill below the threshold for long enough asks for a retrain.
     * Low confidence raises an alert.
     */
    private void watchHealth(Prediction prediction, Accuracy overall, Context context)
            throws Exception {
        MonitorSettings monitor = settings.monitor();
        String symbol = prediction.symbol();
        long asOf = prediction.asOf();
        if (prediction.confidence() < monitor.lowConfidence()) {
            context.output(
                    ALERTS,
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
        boolean repredicted = RepredictionRequest.isReprediction(prediction.reason());
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
            context.output(
                    ALERTS,
                    Alert.of(
                            Alert.WARNING,
                            Alert.ACCURACY_DROP,
                            symbol,
                            detail,
                            Long.toString(asOf),
                            asOf));
            if (!repredicted) {
                askReprediction(
                        current, symbol, RepredictionRequest.ACCURACY_DROP, detail, asOf, context);
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
                context.output(RETRAINS, retrainRequest(prediction, overall, current));
            }
        }
        if (!current.sameAs(stored)) {
            // one small write per forecast otherwise: only what changed is stored
            health.update(current);
        }
    }

    private RetrainRequest retrainRequest(
            Prediction prediction, Accuracy overall, ForecastHealth current) {
        double threshold = settings.monitor().retrainSkillThreshold();
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

    /** Follows the open trades through a new bar and publishes those it ends. */
    private void followTrades(Bar bar, Context context) throws Exception {
        List<OpenTrade> still = new ArrayList<>();
        boolean changed = false;
        for (OpenTrade trade : openTrades.get()) {
            changed = true;
            TradeOutcome outcome =
                    trade.observe(bar.time(), bar.open(), bar.high(), bar.low(), bar.close());
            if (outcome == null) {
                still.add(trade);
            } else {
                tradesSettled.inc();
                context.output(OUTCOMES, outcome);
            }
        }
        if (changed) {
            openTrades.update(still);
        }
    }

    /**
     * Starts following a new trade; bars that came before the forecast (it trailed them through the
     * async inference) are caught up from the ring.
     */
    private void openTrade(Recommendation trade, BarRing bars, Context context) throws Exception {
        for (OpenTrade followed : openTrades.get()) {
            if (followed.recommendationId.equals(trade.id())) {
                return; // the same trade again (a revised bar's forecast)
            }
        }
        OpenTrade open = OpenTrade.of(trade);
        BarWindow since = bars.window(bars.newestTime(), bars.count);
        for (int i = 0; since != null && i < since.times().length; i++) {
            if (since.times()[i] < trade.entryTime()) {
                continue;
            }
            TradeOutcome outcome =
                    open.observe(
                            since.times()[i],
                            since.open()[i],
                            since.high()[i],
                            since.low()[i],
                            since.close()[i]);
            if (outcome != null) {
                tradesSettled.inc();
                context.output(OUTCOMES, outcome);
                return;
            }
        }
        openTrades.add(open);
    }

    /** The residual rings of the model's steps, read once per forecast. */
    private Map<Integer, ResidualRing> ringsOf(int[] steps) throws Exception {
        Map<Integer, ResidualRing> rings = new HashMap<>();
        for (int step : steps) {
            ResidualRing ring = residuals.get(step);
            if (ring != null) {
                rings.put(step, ring);
            }
        }
        return rings;
    }

    /**
     * Settles one point; returns its validation, or null when a newer forecast's is there. The
     * validation is of the forecast as published; the step's ring keeps the model's own residual
     * ({@code bias} taken back out of a reprediction's point), so the bias a reprediction removes,
     * the band and the rolling accuracy stay measures of the model, not of earlier corrections.
     */
    private Validation settle(
            Context context,
            String symbol,
            String predictionId,
            long asOf,
            long sequence,
            int step,
            long target,
            double predicted,
            double bias,
            double base,
            double actual,
            double lower,
            double upper)
            throws Exception {
        if (!(predicted > 0 && base > 0 && actual > 0)
                || Double.isInfinite(predicted)
                || Double.isInfinite(base)
                || Double.isInfinite(actual)) {
            return null; // a residual that is not a number would poison every band after it
        }
        ResidualRing ring = residuals.get(step);
        if (ring == null) {
            ring = ResidualRing.create(settings.residualWindow() + LAG_ROOM);
        }
        if (!ring.settle(
                asOf,
                sequence,
                target,
                base,
                predicted * Math.exp(-bias),
                actual,
                lower <= actual && actual <= upper)) {
            return null;
        }
        residuals.put(step, ring);
        pointsValidated.inc();
        Validation validation =
                Validation.of(
                        predictionId,
                        symbol,
                        asOf,
                        target,
                        step,
                        base,
                        predicted,
                        actual,
                        lower,
                        upper);
        context.output(VALIDATIONS, validation);
        return validation;
    }

    /** Drops the points whose bar is more than the grace overdue: it is not coming. */
    private void dropOverdue(long now) throws Exception {
        Iterator<Map.Entry<Long, PendingPoints>> entries = pending.iterator();
        while (entries.hasNext()) {
            if (entries.next().getKey() + settings.interval().toMillis() + PENDING_GRACE_MILLIS
                    <= now) {
                entries.remove();
            }
        }
    }

    /** One timer an hour at most: the drop timers of a symbol's points share the hour. */
    private static long dropTimerFor(long target, long interval) {
        long due = target + interval + PENDING_GRACE_MILLIS;
        return Math.floorDiv(due + HOUR_MILLIS - 1, HOUR_MILLIS) * HOUR_MILLIS;
    }

    /**
     * Drops the points of bar times that passed without a bar (a gap in the feed): on the symbol's
     * calendar between the previous bar and this one, or all older ones after a long gap.
     */
    private void dropMissed(String symbol, long previousNewest, long newest, Context context)
            throws Exception {
        if (previousNewest == Long.MIN_VALUE) {
            return;
        }
        MarketCalendar calendar = settings.calendars().of(symbol);
        long t = calendar.nextBarStart(previousNewest, settings.interval());
        int steps = 0;
        while (t < newest && steps < 1000) {
            pending.remove(t);
            t = calendar.nextBarStart(t, settings.interval());
            steps++;
        }
        if (steps > 0) {
            context.output(
                    ALERTS,
                    Alert.of(
                            Alert.WARNING,
                            Alert.DATA_GAP,
                            symbol,
                            (steps >= 1000 ? "1000 or more" : Integer.toString(steps))
                                    + " bars missing on the "
                                    + calendar.name()
                                    + " calendar between "
                                    + Instant.ofEpochMilli(previousNewest)
                                    + " and "
                                    + Instant.ofEpochMilli(newest),
                            Long.toString(newest),
                            newest));
        }
        if (t < newest) {
            Iterator<Map.Entry<Long, PendingPoints>> entries = pending.iterator();
            while (entries.hasNext()) {
                if (entries.next().getKey() < newest) {
                    entries.remove();
                }
            }
        }
    }

    private List<Recommendation> recommend(Prediction p, double volatility) {
        List<Recommendation> trades = new ArrayList<>(2);
        if (p.confidence() < settings.minConfidence()) {
            return trades;
        }
        for (TradeSide side : TradeSide.values()) {
            Optional<TradeIdea> idea =
                    TradeFinder.best(
                            side,
                            p.asOf(),
                            p.lastClose(),
                            p.times(),
                            p.prices(),
                            p.lower(),
                            p.upper(),
                            volatility);
            if (idea.isEmpty()
                    || idea.get().expectedReturnPercent() < settings.minProfitPercent()) {
                continue;
            }
            TradeIdea trade = idea.get();
            trades.add(
                    new Recommendation(
                            Recommendation.idOf(p.id(), side.label()),
                            p.id(),
                            p.symbol(),
                            p.asOf(),
                            side.label(),
                            trade.entryTime(),
                            trade.entryPrice(),
                            trade.exitTime(),
                            trade.targetPrice(),
                            trade.stopLoss(),
                            trade.expectedReturnPercent(),
                            trade.riskReward(),
                            p.confidence(),
                            p.modelVersion(),
                            Recommendation.ACTIVE,
                            null,
                            p.predictedAt()));
        }
        return trades;
    }

    /**
     * Publishes a forecast's trades. The newest forecast's trades are the active ones and supersede
     * the trades of the one before, except the same trades again (a revision forecasts under the
     * same id, so its trades keep theirs). A result that was overtaken by a newer forecast
     * publishes its trades as superseded by that one, so the end state does not depend on the order
     * results arrived in.
     */
    private void publishTrades(
            Prediction prediction,
            long sequence,
            List<Recommendation> trades,
            RecentForecasts recentForecasts,
            BarRing bars,
            Context context)
            throws Exception {
        if (!recentForecasts.isNewerThanActive(prediction.asOf(), sequence)) {
            for (Recommendation trade : trades) {
                context.output(RECOMMENDATIONS, trade.supersededBy(recentForecasts.activeFor));
            }
            return;
        }
        for (Recommendation old : recentForecasts.active) {
            boolean again = trades.stream().anyMatch(t -> t.id().equals(old.id()));
            if (!again) {
                context.output(RECOMMENDATIONS, old.supersededBy(prediction.id()));
            }
        }
        for (Recommendation trade : trades) {
            recommendationsOut.inc();
            context.output(RECOMMENDATIONS, trade);
            openTrade(trade, bars, context);
        }
        recentForecasts.activeFor = prediction.id();
        recentForecasts.activeAsOf = prediction.asOf();
        recentForecasts.activeSequence = sequence;
        recentForecasts.active = trades.toArray(new Recommendation[0]);
    }

    /**
     * Keeps the forecast's points at the model's steps: pending until their bar comes (scored at
     * once when it already has), and for the next forecast's stability.
     */
    private void remember(
            Prediction prediction,
            long sequence,
            int[] steps,
            double[] bias,
            BarRing bars,
            RecentForecasts recentForecasts,
            Context context)
            throws Exception {
        int count = 0;
        for (int step : steps) {
            if (step <= prediction.times().length) {
                count++;
            }
        }
        long[] stepTimes = new long[count];
        double[] stepPrices = new double[count];
        long newest = bars.newestTime();
        for (int i = 0; i < count; i++) {
            long target = prediction.times()[steps[i] - 1];
            double price = prediction.prices()[steps[i] - 1];
            stepTimes[i] = target;
            stepPrices[i] = price;
            if (target <= newest) {
                // the bar came before the forecast (bars overtake the async inference)
                double actual = bars.closeAt(target);
                if (!Double.isNaN(actual)) {
                    settle(
                            context,
                            prediction.symbol(),
                            prediction.id(),
                            prediction.asOf(),
                            sequence,
                            steps[i],
                            target,
                            price,
                            bias[i],
                            prediction.lastClose(),
                            actual,
                            prediction.lower()[steps[i] - 1],
                            prediction.upper()[steps[i] - 1]);
                }
                continue;
            }
            PendingPoints points = pending.get(target);
            if (points == null) {
                points = new PendingPoints();
            }
            points.add(
                    prediction.asOf(),
                    sequence,
                    steps[i],
                    price,
                    bias[i],
                    prediction.lastClose(),
                    prediction.id(),
                    prediction.lower()[steps[i] - 1],
                    prediction.upper()[steps[i] - 1]);
            pending.put(target, points);
            context.timerService()
                    .registerEventTimeTimer(dropTimerFor(target, settings.interval().toMillis()));
        }
        recentForecasts.keep(prediction.asOf(), sequence, stepTimes, stepPrices);
        forecasts.update(recentForecasts);
    }

    private DeadLetter deadLetter(InferenceResult result) throws JsonProcessingException {
        return DeadLetter.of(
                result.symbol(),
                "inference",
                result.failure(),
                result.asOf(),
                mapper.writeValueAsString(
                        Map.of(
                                "symbol", result.symbol(),
                                "asOf", result.asOf(),
                                "reason", result.reason(),
                                "modelFolder", result.model().folder(),
                                "modelVersion", result.model().version())));
    }
}
