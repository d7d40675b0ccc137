package io.barcast.core.backtest;

import java.util.List;

/**
 * Renders a {@link BacktestReport} for people and for programs: Markdown for a terminal or a pull
 * request, pretty JSON (NaN written as {@code null}; {@link BacktestReport#fromJson} reads it
 * back), and a self-contained HTML page with a chart of predicted against actual prices per symbol.
 */
public final class ReportWriter {

    private ReportWriter() {}

    /**
     * The run's facts, then per symbol (and over all symbols when there are several) a table of the
     * accuracy at each horizon and one of the trades.
     */
    public static String markdown(BacktestReport report) {
        return MarkdownReport.render(report);
    }

    /** The report as indented JSON; a figure that is not a number is {@code null}. */
    public static String json(BacktestReport report) {
        return ReportJson.write(report);
    }

    /**
     * One HTML page with no external resources: the Markdown's tables, and above a symbol's tables
     * the chart of its {@link ChartData}, if {@code charts} has one.
     *
     * @throws IllegalArgumentException when a chart is for a symbol the report does not have
     */
    public static String html(BacktestReport report, List<ChartData> charts) {
        return HtmlReport.render(report, charts);
    }
}
