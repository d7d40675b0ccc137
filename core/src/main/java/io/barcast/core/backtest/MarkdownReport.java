package io.barcast.core.backtest;

import java.util.List;
import java.util.Map;

/** Writes a report as Markdown; charts are left to the HTML page. */
final class MarkdownReport implements ReportMarkup {

    private final StringBuilder out = new StringBuilder(4096);

    private MarkdownReport() {}

    static String render(BacktestReport report) {
        return ReportLayout.render(report, Map.of(), new MarkdownReport());
    }

    @Override
    public void title(String text) {
        out.append("# ").append(cell(text)).append('\n');
    }

    @Override
    public void facts(List<List<String>> facts) {
        out.append('\n');
        for (List<String> fact : facts) {
            out.append("- **").append(fact.get(0)).append(":** ").append(fact.get(1)).append('\n');
        }
    }

    @Override
    public void paragraph(String text) {
        out.append('\n').append(text).append('\n');
    }

    @Override
    public void heading(int level, String text) {
        out.append('\n').append("#".repeat(level)).append(' ').append(cell(text)).append('\n');
    }

    @Override
    public void table(List<String> header, List<List<String>> rows) {
        out.append('\n');
        row(header);
        // figures align right
        out.append("|---|").append("--:|".repeat(header.size() - 1)).append('\n');
        for (List<String> row : rows) {
            row(row);
        }
    }

    @Override
    public void chart(ChartData chart) {}

    @Override
    public String finish() {
        return out.toString();
    }

    private void row(List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell(cell)).append(" |");
        }
        out.append('\n');
    }

    /** A pipe would end the cell; a line break the table. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }
}
