package io.barcast.functions.track;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.functions.DeadLetters;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
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
 *   <li>State per symbol, each part owning its own: the latest bars and the latest forecasts (here,
 *       what the {@link ForecastAssembler} builds from); results waiting for their own bar ({@link
 *       WaitingResults}); the forecast points waiting for their bar and, per step, the latest
 *       settled points ({@link PointBook}); the trades followed to their outcome ({@link
 *       TradeBook}; the active trades ride in the latest forecasts); the symbol's {@link
 *       ForecastHealth} ({@link HealthWatch}). {@link FailedInferences} reports failed results.
 *   <li>Timers: an event-time timer {@code ttl} after the newest bar clears a silent symbol (its
 *       active trades are published as {@code expired}). A pending point whose bar does not come (a
 *       gap) is dropped when a later bar arrives, or by an hourly timer once it is overdue.
 * </ul>
 *
 * A forecast made as of bar {@code T} is built from what was known at {@code T} only: the bars up
 * to {@code T} and the residuals those bars settled. Bars and results reach this operator on two
 * inputs in no fixed order, so a result that comes before its own bar waits for it, and later bars
 * that came first are left out. A replay or a recovery therefore gives the same band, confidence,
 * accuracy and trade outcomes. Reprediction and retrain requests are the exception: they depend on
 * when bars and results met here (their ids do not, so a recovery does not repeat them). That order
 * is why all of it is one operator (see {@code docs/decisions/0009-prediction-tracker.md}).
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

    private final TrackerSettings settings;

    private transient ValueState<BarRing> recent;
    private transient ValueState<RecentForecasts> forecasts;
    private transient WaitingResults waiting;
    private transient PointBook points;
    private transient TradeBook trades;
    private transient HealthWatch health;
    private transient FailedInferences failures;
    private transient ForecastAssembler assembler;
    private transient Counter forecastsOut;
    private transient Histogram latency;
    private transient Histogram feedDelays;

    public PredictionTracker(TrackerSettings settings) {
        this.settings = settings;
    }

    public static ValueStateDescriptor<BarRing> recentDescriptor() {
        return new ValueStateDescriptor<>("recent-bars", BarRing.class);
    }

    public static ValueStateDescriptor<RecentForecasts> forecastsDescriptor() {
        return new ValueStateDescriptor<>("recent-forecasts", RecentForecasts.class);
    }

    @Override
    public void open(OpenContext context) {
        var runtime = getRuntimeContext();
        recent = runtime.getState(recentDescriptor());
        forecasts = runtime.getState(forecastsDescriptor());
        waiting = new WaitingResults(runtime, settings.ttl());
        points = new PointBook(settings, runtime);
        trades = new TradeBook(settings, runtime);
        health = new HealthWatch(settings.monitor(), runtime);
        failures = new FailedInferences();
        assembler = new ForecastAssembler(settings);
        var metrics = runtime.getMetricGroup();
        forecastsOut = metrics.counter("forecastsOut");
        latency =
                metrics.histogram(
                        "barToForecastLatencyMillis", new DescriptiveStatisticsHistogram(1000));
        feedDelays = metrics.histogram("feedDelayMillis", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement1(InferenceResult result, Context context, Collector<Prediction> out)
            throws Exception {
        if (!result.succeeded()) {
            failures.report(result, context::output);
            return;
        }
        BarRing bars = recent.value();
        if (bars == null || bars.newestTime() < result.asOf()) {
            // its bar is still on the way on the other input
            waiting.hold(result, context.timerService());
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
            Emitter emitter = context::output;
            Validation worst = points.validate(bar, emitter);
            health.judgePoint(bar.symbol(), bar.time(), worst, emitter);
            points.dropMissed(bar.symbol(), previousNewest, bar.time(), emitter);
            trades.follow(bar, emitter);
        }
        for (InferenceResult result : waiting.release(bars.newestTime())) {
            forecast(result, bars, context, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Prediction> out)
            throws Exception {
        BarRing bars = recent.value();
        boolean silent = bars == null || bars.newestTime() + settings.ttl().toMillis() <= timestamp;
        if (!silent) {
            points.dropOverdue(timestamp);
            return;
        }
        RecentForecasts recentForecasts = forecasts.value();
        // Nobody will supersede them now: they expire with the symbol's state. At the end of a
        // bounded input every timer fires; the input ended there, not the symbol, so its trades
        // stay active.
        boolean endOfInput = context.timerService().currentWatermark() == Long.MAX_VALUE;
        if (recentForecasts != null && !endOfInput) {
            TradeBook.expire(recentForecasts, context::output);
        }
        recent.clear();
        forecasts.clear();
        waiting.clear();
        points.clear();
        trades.clear();
        health.clear(context.getCurrentKey());
    }

    /** The symbols the gauges count, for tests. */
    FlaggedSymbols flaggedSymbols() {
        return health.flagged();
    }

    /**
     * Builds the forecast of a result whose bar has arrived, publishes it, and hands it to the
     * parts: accuracy and health first (the health reads the accuracy), then trades, then its
     * points, which may settle at once against bars that came first.
     */
    private void forecast(
            InferenceResult result, BarRing bars, Context context, Collector<Prediction> out)
            throws Exception {
        Emitter emitter = context::output;
        long asOf = result.asOf();
        int[] steps = result.model().horizonSteps();
        Map<Integer, ResidualRing> rings = points.ringsOf(steps);
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
        Accuracy overall = points.publishAccuracy(prediction, steps, rings, emitter);
        health.judgeForecast(prediction, overall, emitter);
        if (settings.liveFeed()) {
            health.judgeFeedDelay(result.symbol(), asOf, feedDelay, emitter);
        }
        trades.publish(
                prediction,
                result.sequence(),
                assembled.volatility(),
                recentForecasts,
                bars,
                emitter);
        points.remember(
                prediction,
                result.sequence(),
                steps,
                assembled.bias(),
                bars,
                recentForecasts,
                emitter,
                context.timerService());
        forecasts.update(recentForecasts);
    }
}
