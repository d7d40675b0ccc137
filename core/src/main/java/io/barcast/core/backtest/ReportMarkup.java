package io.barcast.core.backtest;

import java.util.List;

/**
 * The blocks a report is made of, written in one markup. {@link ReportLayout} decides which blocks
 * in which order, so Markdown and HTML show the same report.
 */
interface ReportMarkup {

    void title(String text);

    /** Label and value pairs. */
    void facts(List<List<String>> facts);

    void paragraph(String text);

    /** A heading of level 2 (a section) or 3 (a part of one). */
    void heading(int level, String text);

    /** The first column holds labels, the others figures. */
    void table(List<String> header, List<List<String>> rows);

    /** Draws a symbol's chart, where the markup can. */
    void chart(ChartData chart);

    /** The document written so far, closed. */
    String finish();
}
