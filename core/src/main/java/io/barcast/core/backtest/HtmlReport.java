package io.barcast.core.backtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a report as one HTML page that needs nothing else: the style sheet is inline and each
 * symbol's chart is an inline SVG above its tables.
 */
final class HtmlReport implements ReportMarkup {

    private static final String STYLE =
            """
            body{font-family:system-ui,sans-serif;color:#222;max-width:1000px;margin:2em auto;\
            padding:0 1em}
            table{border-collapse:collapse;margin:.5em 0 1.5em}
            th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}
            th:first-child,td:first-child,.facts td{text-align:left}
            svg{width:100%;height:auto;margin:.5em 0}
            svg text{font-size:11px;fill:#555}
            .grid line{stroke:#e6e6e6}
            .actual{fill:none;stroke:#222;stroke-width:1.4}
            .forecast{fill:none;stroke:#1f6fb4;stroke-width:.8;opacity:.7}
            .band{fill:#1f6fb4;opacity:.15}
            """;

    private final StringBuilder html = new StringBuilder(32_768);

    private HtmlReport() {}

    /**
     * @throws IllegalArgumentException when a chart is for a symbol the report has no section for
     */
    static String render(BacktestReport report, List<ChartData> charts) {
        Map<String, ChartData> chartBySymbol = new LinkedHashMap<>();
        for (ChartData chart : charts) {
            if (report.symbols().stream().noneMatch(s -> s.name().equals(chart.symbol()))) {
                throw new IllegalArgumentException(
                        "chart for " + chart.symbol() + ", a symbol the report does not have");
            }
            chartBySymbol.put(chart.symbol(), chart);
        }
        return ReportLayout.render(report, chartBySymbol, new HtmlReport());
    }

    @Override
    public void title(String text) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>")
                .append(escape(text))
                .append("</title>\n<style>\n")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>")
                .append(escape(text))
                .append("</h1>\n");
    }

    @Override
    public void facts(List<List<String>> facts) {
        html.append("<table class=\"facts\">\n");
        for (List<String> fact : facts) {
            html.append("<tr><th>")
                    .append(escape(fact.get(0)))
                    .append("</th><td>")
                    .append(escape(fact.get(1)))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    @Override
    public void paragraph(String text) {
        html.append("<p>").append(escape(text)).append("</p>\n");
    }

    @Override
    public void heading(int level, String text) {
        html.append("<h").append(level).append('>');
        html.append(escape(text));
        html.append("</h").append(level).append(">\n");
    }

    @Override
    public void table(List<String> header, List<List<String>> rows) {
        html.append("<table>\n<tr>");
        for (String cell : header) {
            html.append("<th>").append(escape(cell)).append("</th>");
        }
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String cell : row) {
                html.append("<td>").append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    @Override
    public void chart(ChartData chart) {
        html.append(PriceChart.svg(chart));
    }

    @Override
    public String finish() {
        return html.append("</body>\n</html>\n").toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
