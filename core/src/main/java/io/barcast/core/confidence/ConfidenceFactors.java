package io.barcast.core.confidence;

import io.barcast.core.calendar.MarketCalendar;
import io.barcast.core.features.Indicators;
import io.barcast.core.features.RecentBars;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The definitions of the confidence factors: each function's javadoc is the factor's definition,
 * and every value is in [0, 1] whatever the data (never NaN). Values are 0.5, "no opinion", where a
 * factor lacks the data to judge.
 *
 * <p>Shared terms: a <em>log return</em> is ln(c<sub>i</sub> / c<sub>i-1</sub>) of consecutive
 * closes of the window, counted as 0 when either close is not a positive number; the <em>realised
 * volatility</em> of some returns is their root mean square; the forecast's <em>direction</em> is
 * the sign of its last price minus the last close (flat when equal, or when there is no path).
 */
public final class ConfidenceFactors {

    /** Points a track record needs before it is trusted. */
    public static final int MIN_RECORD_POINTS = 30;

    /** Bars the score wants to see; a shorter window lowers data quality. */
    public static final int WANTED_BARS = 32;

    /** How many of the newest log returns count as "recent": four hours of 15-minute bars. */
    static final int RECENT_RETURNS = 16;

    static final int RECENT_VOLUME_BARS = 4;
    static final int RSI_PERIOD = 14;
    static final int SMA_PERIOD = 20;

    private static final double NO_OPINION = 0.5;
    private static final Duration SESSION_EDGE = Duration.ofMinutes(30);
    private static final Duration LONG_CLOSE = Duration.ofDays(1);

    private ConfidenceFactors() {}

    /**
     * <b>model_performance</b>: 0.5 + 5 × skill, clipped to [0, 1], where skill = 1 - modelMae /
     * naiveMae of the symbol's own record if it has at least 30 points, else of the model's
     * held-out record if that has: a model 10% better than "no change" scores 1, one as good 0.5,
     * one 10% worse 0. 0.5 when neither record has 30 points or its naive error is 0.
     */
    public static double modelPerformance(TrackRecord symbol, TrackRecord heldOut) {
        TrackRecord record = trusted(symbol, heldOut);
        if (record == null || !(record.naiveMae() > 0)) {
            return NO_OPINION;
        }
        return unit(0.5 + 5 * record.skill(), NO_OPINION);
    }

    /**
     * <b>data_quality</b>: completeness × usable share × min(1, bars / 32). Completeness is the
     * share of the calendar's bar starts from the window's first bar to its last that the window
     * holds (0 when none of its times is a bar start); usable share is the share of its bars with a
     * positive volume and a positive close.
     */
    public static double dataQuality(BarWindow window, MarketCalendar calendar, Duration interval) {
        int n = window.size();
        long[] times = window.times();
        long first = calendar.firstBarStartAtOrAfter(times[0], interval);
        long last = times[n - 1];
        int present = 0;
        long lastCounted = Long.MIN_VALUE;
        for (long time : times) {
            if (time > lastCounted && time >= first && calendar.isBarStart(time, interval)) {
                present++;
                lastCounted = time;
            }
        }
        // Counting stops at 20 bar starts per bar held: a window spread that thin scores under
        // 5% anyway, and a bad clock must not make us walk years of calendar.
        long cap = 20L * n;
        long expected = 0;
        for (long t = first; t <= last && expected < cap; t = calendar.nextBarStart(t, interval)) {
            expected++;
        }
        double completeness = expected == 0 ? 0 : Math.min(1, (double) present / expected);
        int usable = 0;
        for (int i = 0; i < n; i++) {
            if (usableVolume(window.volume()[i]) > 0 && positive(window.close()[i])) {
                usable++;
            }
        }
        double length = Math.min(1, (double) n / WANTED_BARS);
        return unit(completeness * ((double) usable / n) * length, 0);
    }

    /**
     * <b>market_volatility</b>: with r the realised volatility of the window's last 16 log returns
     * over that of its earlier returns, 1 when r &le; 1 (calm or as usual), falling linearly to 0
     * at r = 3 (a spike). 1 when the last 16 returns are all 0, 0 when only they moved; 0.5 when
     * the window has no returns before its last 16.
     */
    public static double marketVolatility(BarWindow window) {
        double[] returns = logReturns(window.close());
        int recentFrom = returns.length - RECENT_RETURNS;
        if (recentFrom <= 0) {
            return NO_OPINION;
        }
        double recent = rms(returns, recentFrom, returns.length);
        double earlier = rms(returns, 0, recentFrom);
        if (recent == 0) {
            return 1;
        }
        if (earlier == 0) {
            return 0;
        }
        return unit((3 - recent / earlier) / 2, NO_OPINION);
    }

    /**
     * <b>trend_consistency</b>: how much of the recent move goes the forecast's way: the sum of |r|
     * over the window's last 16 log returns r whose sign is the forecast's direction, over the sum
     * of |r| over all 16. 0.5 when the forecast is flat or those returns are all 0.
     */
    public static double trendConsistency(BarWindow window, double lastClose, double[] pathPrices) {
        int direction = direction(lastClose, pathPrices);
        if (direction == 0) {
            return NO_OPINION;
        }
        double[] returns = logReturns(window.close());
        double along = 0;
        double total = 0;
        for (int i = Math.max(0, returns.length - RECENT_RETURNS); i < returns.length; i++) {
            total += Math.abs(returns[i]);
            if (Math.signum(returns[i]) == direction) {
                along += Math.abs(returns[i]);
            }
        }
        return total == 0 ? NO_OPINION : unit(along / total, NO_OPINION);
    }

    /**
     * <b>volume_analysis</b>: with r the mean volume of the last 4 bars over the median volume of
     * the bars before them, piecewise linear through 0 at r = 0, 0.2 at r = 0.25 (very thin), 1
     * from r = 0.5 to 2 (normal), 0.5 at r = 4 and beyond (a surge). 0.5 when no bar precedes the
     * last 4 or the earlier bars' median is 0. A volume that is not a positive number counts as 0.
     */
    public static double volumeAnalysis(BarWindow window) {
        double[] volume = window.volume();
        int recentFrom = volume.length - RECENT_VOLUME_BARS;
        if (recentFrom <= 0) {
            return NO_OPINION;
        }
        double[] earlier = new double[recentFrom];
        for (int i = 0; i < recentFrom; i++) {
            earlier[i] = usableVolume(volume[i]);
        }
        Arrays.sort(earlier);
        double median =
                recentFrom % 2 == 1
                        ? earlier[recentFrom / 2]
                        : (earlier[recentFrom / 2 - 1] + earlier[recentFrom / 2]) / 2;
        if (!(median > 0)) {
            return NO_OPINION;
        }
        double recent = 0;
        for (int i = recentFrom; i < volume.length; i++) {
            recent += usableVolume(volume[i]);
        }
        double ratio = recent / RECENT_VOLUME_BARS / median;
        double value;
        if (ratio <= 0.25) {
            value = 0.2 * ratio / 0.25;
        } else if (ratio <= 0.5) {
            value = 0.2 + 0.8 * (ratio - 0.25) / 0.25;
        } else if (ratio <= 2) {
            value = 1;
        } else if (ratio <= 4) {
            value = 1 - 0.5 * (ratio - 2) / 2;
        } else {
            value = 0.5;
        }
        return unit(value, NO_OPINION);
    }

    /**
     * <b>technical_indicators</b>: the mean of two votes on the forecast's direction. RSI(14)
     * (Cutler's) votes 1 up to 60 and 0 from 80 for an up forecast, linearly between (a down
     * forecast mirrored: 1 down to 40, 0 at 20 and below): an overbought market is a poor bet to
     * rise further. The newest close against the mean of the last 20 closes votes 1 when it is on
     * the forecast's side, 0 when on the other, 0.5 when equal. A vote without enough bars (15 for
     * RSI, 20 for the mean) is 0.5; the factor is 0.5 for a flat forecast.
     */
    public static double technicalIndicators(
            BarWindow window, double lastClose, double[] pathPrices) {
        int direction = direction(lastClose, pathPrices);
        if (direction == 0) {
            return NO_OPINION;
        }
        int n = window.size();
        RecentBars bars = window.endingAt(n - 1);
        double rsiVote = NO_OPINION;
        if (n > RSI_PERIOD) {
            double rsi = Indicators.rsi(bars, RSI_PERIOD);
            double stretch = direction > 0 ? rsi : 100 - rsi;
            rsiVote = unit((80 - stretch) / 20, NO_OPINION);
        }
        double smaVote = NO_OPINION;
        if (n >= SMA_PERIOD) {
            double side = Math.signum(Indicators.closeOverMean(bars, SMA_PERIOD)) * direction;
            smaVote = unit(0.5 + side / 2, NO_OPINION);
        }
        return (rsiVote + smaVote) / 2;
    }

    /**
     * <b>time_of_day</b>, for the bar the forecast was made on: 0.5 when fewer than 30 minutes of
     * unbroken bars precede it (the session's opening half hour) or when it is the last bar before
     * a close of more than a day (a weekend or holiday); 0.75 when fewer than 30 minutes of
     * unbroken bars follow it (the session's closing half hour), or when it starts on a Saturday or
     * Sunday (UTC) in a market that trades then; 1 otherwise. The lowest applicable value counts.
     */
    public static double timeOfDay(MarketCalendar calendar, Duration interval, long asOf) {
        long step = interval.toMillis();
        long edge = SESSION_EDGE.toMillis();
        double value = 1;
        long sinceOpen = 0;
        while (sinceOpen < edge && calendar.isBarStart(asOf - sinceOpen - step, interval)) {
            sinceOpen += step;
        }
        if (sinceOpen < edge) {
            value = Math.min(value, 0.5);
        }
        long barEnd = asOf + step;
        if (calendar.nextBarStart(asOf, interval) - barEnd > LONG_CLOSE.toMillis()) {
            value = Math.min(value, 0.5);
        }
        long toClose = 0;
        while (toClose < edge && calendar.isBarStart(barEnd + toClose, interval)) {
            toClose += step;
        }
        if (toClose < edge) {
            value = Math.min(value, 0.75);
        }
        DayOfWeek day = Instant.ofEpochMilli(asOf).atZone(ZoneOffset.UTC).getDayOfWeek();
        if (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY) {
            value = Math.min(value, 0.75);
        }
        return value;
    }

    /**
     * <b>market_regime</b>: 0.3 + 0.7 × min(1, ER / 0.5), with ER the window's efficiency ratio
     * |last close - first close| / sum of |close changes|: a steady trend scores 1, a market going
     * nowhere 0.3. 0.5 when the window has fewer than 16 close changes or none moved.
     */
    public static double marketRegime(BarWindow window) {
        double[] close = window.close();
        if (close.length - 1 < RECENT_RETURNS) {
            return NO_OPINION;
        }
        double path = 0;
        for (int i = 1; i < close.length; i++) {
            path += Math.abs(close[i] - close[i - 1]);
        }
        if (!(path > 0)) {
            return NO_OPINION;
        }
        double efficiency = Math.abs(close[close.length - 1] - close[0]) / path;
        return unit(0.3 + 0.7 * Math.min(1, efficiency / 0.5), NO_OPINION);
    }

    /**
     * <b>prediction_stability</b>: 1 - mean of |ln(new / previous)| / (2 σ √h) over the bar times
     * both the new and the previous forecast have, clipped to [0, 1]; σ is the window's realised
     * volatility and h the time's position in the new path (1 for its first bar), so a change of
     * two typical h-bar moves scores 0, an unchanged path 1. 0.5 when there is no previous forecast
     * or no common time (prices that are not positive numbers are left out); a change when no price
     * in the window moved scores 0.
     */
    public static double predictionStability(
            BarWindow window,
            long[] pathTimes,
            double[] pathPrices,
            long[] previousTimes,
            double[] previousPrices) {
        if (previousTimes == null || previousPrices == null) {
            return NO_OPINION;
        }
        double[] returns = logReturns(window.close());
        double sigma = rms(returns, 0, returns.length);
        double sum = 0;
        int common = 0;
        int j = 0;
        for (int i = 0; i < pathTimes.length; i++) {
            while (j < previousTimes.length && previousTimes[j] < pathTimes[i]) {
                j++;
            }
            if (j == previousTimes.length) {
                break;
            }
            if (previousTimes[j] != pathTimes[i]
                    || !positive(pathPrices[i])
                    || !positive(previousPrices[j])) {
                continue;
            }
            double change = Math.abs(Math.log(pathPrices[i] / previousPrices[j]));
            double typical = 2 * sigma * Math.sqrt(i + 1);
            if (change > 0) {
                sum += typical > 0 ? change / typical : Double.POSITIVE_INFINITY;
            }
            common++;
        }
        if (common == 0) {
            return NO_OPINION;
        }
        return unit(1 - sum / common, NO_OPINION);
    }

    /**
     * <b>historical_accuracy</b>: 0.5 + 5 × (accuracy - 0.5), clipped to [0, 1], where accuracy is
     * the directional accuracy of the symbol's own record if it has at least 30 points, else of the
     * model's held-out record if that has: a coin toss scores 0.5, 60% right or better 1, 40% or
     * worse 0. 0.5 when neither record has 30 points.
     */
    public static double historicalAccuracy(TrackRecord symbol, TrackRecord heldOut) {
        TrackRecord record = trusted(symbol, heldOut);
        if (record == null) {
            return NO_OPINION;
        }
        return unit(0.5 + 5 * (record.directionalAccuracy() - 0.5), NO_OPINION);
    }

    /** The symbol's record once it has enough points, else the held-out one if it has; or null. */
    private static TrackRecord trusted(TrackRecord symbol, TrackRecord heldOut) {
        if (symbol != null && symbol.points() >= MIN_RECORD_POINTS) {
            return symbol;
        }
        if (heldOut != null && heldOut.points() >= MIN_RECORD_POINTS) {
            return heldOut;
        }
        return null;
    }

    /** +1, -1 or 0: whether the forecast ends above, below or at the last close. */
    static int direction(double lastClose, double[] pathPrices) {
        if (pathPrices == null || pathPrices.length == 0) {
            return 0;
        }
        double end = pathPrices[pathPrices.length - 1];
        if (!positive(end) || !positive(lastClose)) {
            return 0;
        }
        return (int) Math.signum(end - lastClose);
    }

    static double[] logReturns(double[] close) {
        double[] returns = new double[Math.max(0, close.length - 1)];
        for (int i = 1; i < close.length; i++) {
            returns[i - 1] =
                    positive(close[i]) && positive(close[i - 1])
                            ? Math.log(close[i] / close[i - 1])
                            : 0;
        }
        return returns;
    }

    /** Root mean square of {@code values[from, to)}; 0 for an empty range. */
    static double rms(double[] values, int from, int to) {
        if (to <= from) {
            return 0;
        }
        double squares = 0;
        for (int i = from; i < to; i++) {
            squares += values[i] * values[i];
        }
        return Math.sqrt(squares / (to - from));
    }

    private static boolean positive(double price) {
        return price > 0 && Double.isFinite(price);
    }

    private static double usableVolume(double volume) {
        return volume > 0 && Double.isFinite(volume) ? volume : 0;
    }

    /** {@code value} clipped to [0, 1], or {@code whenUndefined} for NaN. */
    private static double unit(double value, double whenUndefined) {
        if (Double.isNaN(value)) {
            return whenUndefined;
        }
        return Math.min(1, Math.max(0, value));
    }
}
