package io.barcast.functions.track;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.Prediction;
import io.barcast.core.Validation;
import io.barcast.core.calendar.MarketCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;

/**
 * A symbol's forecast points at the model's steps, from forecast to verdict: each waits for its
 * bar, is then checked against it (a {@link Validation} on {@link PredictionTracker#VALIDATIONS})
 * and settled into its step's {@link ResidualRing}; the rings give the band, the track record and
 * the rolling accuracy published with every forecast on {@link PredictionTracker#ACCURACY}. A point
 * whose bar passed without coming (a gap in the feed) is dropped with a data-gap alert.
 *
 * <p>State: the map {@code pending-points} (bar time to the points waiting for it) and the map
 * {@code residuals} (model step to its ring). Timers: at most one an hour, for points whose bar is
 * {@link #PENDING_GRACE_MILLIS} overdue; the tracker hands them to {@link #dropOverdue}.
 */
final class PointBook {

    /**
     * How long after its bar should have ended a pending point waits for it. A point whose bar
     * never comes (the symbol stopped trading) is dropped by a timer then; one hour covers the feed
     * delay and revision grace of every source.
     */
    static final long PENDING_GRACE_MILLIS = Duration.ofHours(1).toMillis();

    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private final TrackerSettings settings;
    private final MapState<Long, PendingPoints> pending;
    private final MapState<Integer, ResidualRing> residuals;
    private final Counter pointsValidated;

    PointBook(TrackerSettings settings, RuntimeContext context) {
        this.settings = settings;
        this.pending = context.getMapState(pendingDescriptor());
        this.residuals = context.getMapState(residualsDescriptor());
        this.pointsValidated = context.getMetricGroup().counter("forecastPointsValidated");
    }

    static MapStateDescriptor<Long, PendingPoints> pendingDescriptor() {
        return new MapStateDescriptor<>(
                "pending-points", Types.LONG, Types.POJO(PendingPoints.class));
    }

    static MapStateDescriptor<Integer, ResidualRing> residualsDescriptor() {
        return new MapStateDescriptor<>("residuals", Types.INT, Types.POJO(ResidualRing.class));
    }

    /** The residual rings of the model's steps, read once per forecast. */
    Map<Integer, ResidualRing> ringsOf(int[] steps) throws Exception {
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
     * Publishes the rolling accuracy of each horizon bucket and over all steps, from the points
     * that bars up to the forecast's bar settled.
     *
     * @return the figures over all steps, or null before any point was settled
     */
    Accuracy publishAccuracy(
            Prediction prediction, int[] steps, Map<Integer, ResidualRing> rings, Emitter out) {
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
                out.emit(PredictionTracker.ACCURACY, accuracy);
                if (bucket.getKey().equals(Accuracy.ALL)) {
                    overall = accuracy;
                }
            }
        }
        return overall;
    }

    /**
     * Keeps the forecast's points at the model's steps: pending until their bar comes (scored at
     * once when it already has), and in {@code recentForecasts} for the next forecast's stability
     * (the caller stores it).
     */
    void remember(
            Prediction prediction,
            long sequence,
            int[] steps,
            double[] bias,
            BarRing bars,
            RecentForecasts recentForecasts,
            Emitter out,
            TimerService timers)
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
                            out,
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
            timers.registerEventTimeTimer(dropTimerFor(target, settings.interval().toMillis()));
        }
        recentForecasts.keep(prediction.asOf(), sequence, stepTimes, stepPrices);
    }

    /**
     * Settles the points waiting for this bar into their step's residuals and publishes their
     * validations.
     *
     * @return the validation furthest off, or null when none was settled
     */
    Validation validate(Bar bar, Emitter out) throws Exception {
        PendingPoints points = pending.get(bar.time());
        if (points == null) {
            return null;
        }
        pending.remove(bar.time());
        Validation worst = null;
        for (int i = 0; i < points.size(); i++) {
            Validation validation =
                    settle(
                            out,
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
        return worst;
    }

    /**
     * Drops the points of bar times that passed without a bar (a gap in the feed): on the symbol's
     * calendar between the previous bar and this one, or all older ones after a long gap.
     */
    void dropMissed(String symbol, long previousNewest, long newest, Emitter out) throws Exception {
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
            out.emit(
                    PredictionTracker.ALERTS,
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

    /** Drops the points whose bar is more than the grace overdue: it is not coming. */
    void dropOverdue(long now) throws Exception {
        Iterator<Map.Entry<Long, PendingPoints>> entries = pending.iterator();
        while (entries.hasNext()) {
            if (entries.next().getKey() + settings.interval().toMillis() + PENDING_GRACE_MILLIS
                    <= now) {
                entries.remove();
            }
        }
    }

    void clear() {
        pending.clear();
        residuals.clear();
    }

    /**
     * Settles one point; returns its validation, or null when a newer forecast's is there. The
     * validation is of the forecast as published; the step's ring keeps the model's own residual
     * ({@code bias} taken back out of a reprediction's point), so the bias a reprediction removes,
     * the band and the rolling accuracy stay measures of the model, not of earlier corrections.
     */
    private Validation settle(
            Emitter out,
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
            ring = ResidualRing.create(settings.residualWindow() + PredictionTracker.LAG_ROOM);
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
        out.emit(PredictionTracker.VALIDATIONS, validation);
        return validation;
    }

    /** One timer an hour at most: the drop timers of a symbol's points share the hour. */
    private static long dropTimerFor(long target, long interval) {
        long due = target + interval + PENDING_GRACE_MILLIS;
        return Math.floorDiv(due + HOUR_MILLIS - 1, HOUR_MILLIS) * HOUR_MILLIS;
    }
}
