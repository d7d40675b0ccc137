package io.barcast.core.backtest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Draws one symbol's {@link ChartData} as an inline SVG: the actual closes as a line, each sampled
 * forecast as a thin line from the actual close at its as-of time, and the band of the newest
 * forecast shaded. Times read in UTC. The page styles the classes {@code actual}, {@code forecast},
 * {@code band}, {@code grid} and {@code legend}.
 */
final class PriceChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 360;
    private static final int LEFT = 72;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;
    private static final int MAX_TICKS = 8;

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** 1970-01-05, a Monday: weekly ticks fall on Mondays. */
    private static final long FIRST_MONDAY = 4 * DAY;

    private static final long[] TIME_STEPS = {
        15 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        6 * HOUR,
        12 * HOUR,
        DAY,
        2 * DAY,
        7 * DAY,
        14 * DAY
    };
    private static final int[] MONTH_STEPS = {1, 2, 3, 6, 12};

    private static final DateTimeFormatter HOURS =
            DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAYS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTHS =
            DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ChartData data;
    private final ChartData.Forecast newest;
    private long minTime = Long.MAX_VALUE;
    private long maxTime = Long.MIN_VALUE;
    private double minPrice = Double.POSITIVE_INFINITY;
    private double maxPrice = Double.NEGATIVE_INFINITY;

    private PriceChart(ChartData data) {
        this.data = data;
        ChartData.Forecast latest = null;
        for (ChartData.Forecast forecast : data.forecasts()) {
            if (latest == null || forecast.asOf() >= latest.asOf()) {
                latest = forecast;
            }
        }
        this.newest = latest;
    }

    /** The chart, or empty when there is no price to draw. */
    static String svg(ChartData data) {
        PriceChart chart = new PriceChart(data);
        return chart.measure() ? chart.draw() : "";
    }

    /** Finds the ranges to draw; false when there is nothing. */
    private boolean measure() {
        include(data.times(), data.closes());
        for (ChartData.Forecast forecast : data.forecasts()) {
            include(forecast.times(), forecast.prices());
        }
        if (newest != null) {
            include(newest.times(), newest.lower());
            include(newest.times(), newest.upper());
        }
        if (minTime > maxTime) {
            return false;
        }
        if (minTime == maxTime) {
            maxTime = minTime + HOUR;
        }
        // a margin so the lines do not run along the frame
        double pad = minPrice == maxPrice ? Math.max(Math.abs(minPrice) * 0.01, 1e-9) : 0;
        pad += (maxPrice - minPrice) * 0.04;
        minPrice -= pad;
        maxPrice += pad;
        return true;
    }

    private void include(long[] times, double[] prices) {
        for (int i = 0; i < times.length; i++) {
            if (Double.isFinite(prices[i])) {
                minTime = Math.min(minTime, times[i]);
                maxTime = Math.max(maxTime, times[i]);
                minPrice = Math.min(minPrice, prices[i]);
                maxPrice = Math.max(maxPrice, prices[i]);
            }
        }
    }

    private String draw() {
        StringBuilder svg = new StringBuilder(16_384);
        svg.append("<svg viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(HtmlReport.escape(data.symbol()))
                .append(": actual closes and sampled forecasts\">\n");
        priceAxis(svg);
        timeAxis(svg);
        if (newest != null) {
            band(svg);
        }
        for (ChartData.Forecast forecast : data.forecasts()) {
            svg.append("<polyline class=\"forecast\" points=\"");
            path(svg, forecast.asOf(), forecast.times(), forecast.prices());
            svg.append("\"/>\n");
        }
        svg.append("<polyline class=\"actual\" points=\"");
        points(svg, data.times(), data.closes(), 0, data.times().length, 1);
        svg.append("\"/>\n");
        legend(svg);
        return svg.append("</svg>\n").toString();
    }

    private void priceAxis(StringBuilder svg) {
        double step = niceStep((maxPrice - minPrice) / (MAX_TICKS - 2));
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)));
        svg.append("<g class=\"grid\">\n");
        for (long k = (long) Math.ceil(minPrice / step); k * step <= maxPrice; k++) {
            double y = y(k * step);
            svg.append("<line x1=\"")
                    .append(LEFT)
                    .append("\" x2=\"")
                    .append(WIDTH - RIGHT)
                    .append("\" y1=\"")
                    .append(coordinate(y))
                    .append("\" y2=\"")
                    .append(coordinate(y))
                    .append("\"/><text x=\"")
                    .append(LEFT - 6)
                    .append("\" y=\"")
                    .append(coordinate(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(
                            BigDecimal.valueOf(k * step)
                                    .setScale(decimals, RoundingMode.HALF_UP)
                                    .toPlainString())
                    .append("</text>\n");
        }
        svg.append("</g>\n");
    }

    private void timeAxis(StringBuilder svg) {
        TimeTicks ticks = timeTicks();
        svg.append("<g class=\"grid\">\n");
        for (long t : ticks.times()) {
            double x = x(t);
            svg.append("<line x1=\"")
                    .append(coordinate(x))
                    .append("\" x2=\"")
                    .append(coordinate(x))
                    .append("\" y1=\"")
                    .append(TOP)
                    .append("\" y2=\"")
                    .append(HEIGHT - BOTTOM)
                    .append("\"/><text x=\"")
                    .append(coordinate(x))
                    .append("\" y=\"")
                    .append(HEIGHT - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\">")
                    .append(ticks.format().format(Instant.ofEpochMilli(t)))
                    .append("</text>\n");
        }
        svg.append("<text x=\"")
                .append(WIDTH - RIGHT)
                .append("\" y=\"")
                .append(HEIGHT - 4)
                .append("\" text-anchor=\"end\">UTC</text>\n</g>\n");
    }

    /**
     * Round times at most {@value #MAX_TICKS} to the span: whole hours or days, Mondays, or month
     * starts, labelled as precisely as their step needs.
     */
    private TimeTicks timeTicks() {
        List<Long> ticks = new ArrayList<>();
        long span = maxTime - minTime;
        for (long step : TIME_STEPS) {
            if (span / step <= MAX_TICKS) {
                long origin = step >= 7 * DAY ? FIRST_MONDAY : 0;
                long first = origin + Math.floorDiv(minTime - origin + step - 1, step) * step;
                for (long t = first; t <= maxTime; t += step) {
                    ticks.add(t);
                }
                return new TimeTicks(ticks, step < DAY ? HOURS : DAYS);
            }
        }
        int months = MONTH_STEPS[MONTH_STEPS.length - 1];
        for (int candidate : MONTH_STEPS) {
            if (span / (30 * DAY * candidate) <= MAX_TICKS) {
                months = candidate;
                break;
            }
        }
        LocalDate monthStart = Instant.ofEpochMilli(minTime).atZone(ZoneOffset.UTC).toLocalDate();
        monthStart = monthStart.withDayOfMonth(1);
        monthStart = monthStart.minusMonths((monthStart.getMonthValue() - 1) % months);
        for (; ; monthStart = monthStart.plusMonths(months)) {
            long t = monthStart.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            if (t > maxTime) {
                return new TimeTicks(ticks, MONTHS);
            }
            if (t >= minTime) {
                ticks.add(t);
            }
        }
    }

    private record TimeTicks(List<Long> times, DateTimeFormatter format) {}

    private void band(StringBuilder svg) {
        long[] times = newest.times();
        svg.append("<polygon class=\"band\" points=\"");
        start(svg, newest.asOf());
        points(svg, times, newest.upper(), 0, times.length, 1);
        points(svg, times, newest.lower(), times.length - 1, -1, -1);
        start(svg, newest.asOf());
        svg.append("\"/>\n");
    }

    private void path(StringBuilder svg, long asOf, long[] times, double[] prices) {
        start(svg, asOf);
        points(svg, times, prices, 0, times.length, 1);
    }

    /** The actual close at a forecast's as-of time, where its path and band begin. */
    private void start(StringBuilder svg, long asOf) {
        int at = Arrays.binarySearch(data.times(), asOf);
        if (at >= 0 && Double.isFinite(data.closes()[at])) {
            point(svg, asOf, data.closes()[at]);
        }
    }

    private void points(
            StringBuilder svg, long[] times, double[] prices, int from, int until, int step) {
        for (int i = from; i != until; i += step) {
            if (Double.isFinite(prices[i])) {
                point(svg, times[i], prices[i]);
            }
        }
    }

    private void point(StringBuilder svg, long time, double price) {
        svg.append(coordinate(x(time))).append(',').append(coordinate(y(price))).append(' ');
    }

    private void legend(StringBuilder svg) {
        svg.append("<g class=\"legend\">\n");
        int x = LEFT;
        x = legendEntry(svg, x, "actual", "actual close");
        x = legendEntry(svg, x, "forecast", data.forecasts().size() + " sampled forecasts");
        if (newest != null) {
            svg.append("<rect class=\"band\" x=\"")
                    .append(x)
                    .append("\" y=\"8\" width=\"20\" height=\"10\"/><text x=\"")
                    .append(x + 26)
                    .append("\" y=\"17\">band of the newest forecast</text>\n");
        }
        svg.append("</g>\n");
    }

    private static int legendEntry(StringBuilder svg, int x, String cssClass, String label) {
        svg.append("<line class=\"")
                .append(cssClass)
                .append("\" x1=\"")
                .append(x)
                .append("\" x2=\"")
                .append(x + 20)
                .append("\" y1=\"13\" y2=\"13\"/><text x=\"")
                .append(x + 26)
                .append("\" y=\"17\">")
                .append(label)
                .append("</text>\n");
        return x + 26 + 7 * label.length() + 24;
    }

    private double x(long time) {
        return LEFT + (double) (time - minTime) / (maxTime - minTime) * (WIDTH - LEFT - RIGHT);
    }

    private double y(double price) {
        return TOP + (maxPrice - price) / (maxPrice - minPrice) * (HEIGHT - TOP - BOTTOM);
    }

    /** A tenth of a pixel is finer than a screen shows and keeps long series small. */
    private static String coordinate(double value) {
        long tenths = Math.round(value * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : Double.toString(tenths / 10.0);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
