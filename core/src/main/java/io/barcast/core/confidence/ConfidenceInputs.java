package io.barcast.core.confidence;

import io.barcast.core.calendar.MarketCalendar;
import java.time.Duration;

/**
 * Everything one forecast's confidence is computed from.
 *
 * @param window the symbol's recent bars, the newest being the bar the forecast was made on
 * @param calendar the symbol's calendar
 * @param interval the bar interval
 * @param asOf start (epoch ms) of the newest bar
 * @param lastClose the close the forecast starts from
 * @param pathTimes bar starts of the forecast path, ascending
 * @param pathPrices the forecast close of each of those bars
 * @param previousTimes bar starts of the symbol's previous forecast; null if there is none
 * @param previousPrices the previous forecast's closes; null if there is none
 * @param symbolRecord the symbol's own validated record ({@link TrackRecord#NONE} if none yet)
 * @param heldOutRecord the model's record on held-out symbols ({@link TrackRecord#NONE} if none)
 * @param modelAge time since the model was trained
 * @param feedDelay how late the newest bar arrived after it closed
 */
public record ConfidenceInputs(
        BarWindow window,
        MarketCalendar calendar,
        Duration interval,
        long asOf,
        double lastClose,
        long[] pathTimes,
        double[] pathPrices,
        long[] previousTimes,
        double[] previousPrices,
        TrackRecord symbolRecord,
        TrackRecord heldOutRecord,
        Duration modelAge,
        Duration feedDelay) {

    /**
     * @throws IllegalArgumentException naming what is missing, or a path whose times and prices
     *     differ in length
     */
    public ConfidenceInputs {
        require(window != null, "window is missing");
        require(calendar != null, "calendar is missing");
        require(
                interval != null && !interval.isNegative() && !interval.isZero(),
                "interval must be positive, got " + interval);
        require(pathTimes != null && pathPrices != null, "forecast path is missing");
        require(
                pathTimes.length == pathPrices.length,
                "forecast path has "
                        + pathTimes.length
                        + " times and "
                        + pathPrices.length
                        + " prices");
        require(
                (previousTimes == null) == (previousPrices == null),
                "previous forecast needs both times and prices, or neither");
        require(
                previousTimes == null || previousTimes.length == previousPrices.length,
                "previous forecast has "
                        + (previousTimes == null ? 0 : previousTimes.length)
                        + " times and "
                        + (previousPrices == null ? 0 : previousPrices.length)
                        + " prices");
        require(
                symbolRecord != null && heldOutRecord != null,
                "track records are missing (use TrackRecord.NONE)");
        require(modelAge != null, "modelAge is missing");
        require(feedDelay != null, "feedDelay is missing");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
