package io.barcast.core.backtest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's tables as rows of text, so the Markdown and the HTML page show the same figures in
 * the same words. A figure that is not a number reads {@value #NONE}.
 */
final class ReportTables {

    static final String NONE = "n/a";

    static final String SKILL_NOTE =
            "Skill is 1 - MAE / naive MAE, where the naive forecast is \"no change\" from the last"
                    + " close: above 0 the model beats it, below 0 it does worse.";

    static final List<String> HORIZON_HEADER =
            List.of(
                    "Horizon",
                    "Points",
                    "MAE",
                    "RMSE",
                    "MAPE %",
                    "Direction right",
                    "Band coverage",
                    "Naive MAE",
                    "Skill");

    static final List<String> TRADE_HEADER =
            List.of(
                    "Side",
                    "Trades",
                    "Target hit",
                    "Stop hit",
                    "Expired",
                    "Missed",
                    "Success rate",
                    "Mean return %");

    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private ReportTables() {}

    /** The run's facts as label and value pairs. */
    static List<List<String>> facts(BacktestReport report) {
        RunFacts run = report.run();
        return List.of(
                List.of("Model", run.modelName() + " " + run.modelVersion()),
                List.of("Symbols", String.join(", ", run.symbols())),
                List.of("Span", utc(run.from()) + " to " + utc(run.to())),
                List.of("Bar interval", duration(run.barInterval())),
                List.of("Bars replayed", Long.toString(run.barsReplayed())),
                List.of("Forecasts made", Long.toString(run.forecastsMade())),
                List.of("Points validated", Long.toString(report.validations())),
                List.of("Trades", Integer.toString(report.allSymbols().trades().trades())));
    }

    /** One row per horizon, in the order of {@link #HORIZON_HEADER}. */
    static List<List<String>> horizonRows(ReportSection section, Duration barInterval) {
        List<List<String>> rows = new ArrayList<>();
        for (HorizonAccuracy h : section.horizons()) {
            rows.add(
                    List.of(
                            horizon(h.horizonBars(), barInterval),
                            Integer.toString(h.points()),
                            price(h.mae()),
                            price(h.rmse()),
                            fixed(h.mapePercent(), 2),
                            share(h.directionalAccuracy()),
                            share(h.bandCoverage()),
                            price(h.naiveMae()),
                            fixed(h.skill(), 3)));
        }
        return rows;
    }

    /**
     * Rows for all trades, the long ones and the short ones, in the order of {@link #TRADE_HEADER}.
     */
    static List<List<String>> tradeRows(ReportSection section) {
        return List.of(
                tradeRow("All", section.trades()),
                tradeRow("Long", section.longTrades()),
                tradeRow("Short", section.shortTrades()));
    }

    private static List<String> tradeRow(String side, OutcomeSummary s) {
        return List.of(
                side,
                Integer.toString(s.trades()),
                Integer.toString(s.targetHit()),
                Integer.toString(s.stopHit()),
                Integer.toString(s.expired()),
                Integer.toString(s.missed()),
                share(s.successRate()),
                fixed(s.meanRealizedReturnPercent(), 2));
    }

    /** {@code +1 bar (15 min)}, {@code +96 bars (1 day)}. */
    static String horizon(int bars, Duration barInterval) {
        return "+"
                + bars
                + (bars == 1 ? " bar (" : " bars (")
                + duration(barInterval.multipliedBy(bars))
                + ")";
    }

    /** {@code 15 min}, {@code 6 h 30 min}, {@code 1 day}, {@code 7 days}. */
    static String duration(Duration duration) {
        List<String> parts = new ArrayList<>(4);
        long days = duration.toDays();
        if (days > 0) {
            parts.add(days + (days == 1 ? " day" : " days"));
        }
        if (duration.toHoursPart() > 0) {
            parts.add(duration.toHoursPart() + " h");
        }
        if (duration.toMinutesPart() > 0) {
            parts.add(duration.toMinutesPart() + " min");
        }
        if (duration.toSecondsPart() > 0 || parts.isEmpty()) {
            parts.add(duration.toSecondsPart() + " s");
        }
        return String.join(" ", parts);
    }

    static String utc(long epochMillis) {
        return UTC.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Four significant digits: prices range from fractions of a cent to tens of thousands. */
    static String price(double value) {
        if (!Double.isFinite(value)) {
            return NONE;
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String fixed(double value, int decimals) {
        return Double.isFinite(value)
                ? String.format(Locale.ROOT, "%." + decimals + "f", value)
                : NONE;
    }

    /** A share in [0, 1] as a percentage. */
    static String share(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f%%", 100 * value) : NONE;
    }
}
