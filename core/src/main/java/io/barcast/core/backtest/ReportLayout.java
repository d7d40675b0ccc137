package io.barcast.core.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a rendered report shows, in order: the title and the run's facts, what skill means, then per
 * symbol its chart (when there is one), its accuracy by horizon and its trades; over all symbols
 * too when there are several.
 */
final class ReportLayout {

    private ReportLayout() {}

    static String render(
            BacktestReport report, Map<String, ChartData> chartBySymbol, ReportMarkup markup) {
        RunFacts run = report.run();
        markup.title("Backtest of " + run.modelName() + " " + run.modelVersion());
        markup.facts(ReportTables.facts(report));
        markup.paragraph(ReportTables.SKILL_NOTE);
        for (ReportSection section : sections(report)) {
            markup.heading(2, section.name());
            ChartData chart = chartBySymbol.get(section.name());
            if (chart != null) {
                markup.chart(chart);
            }
            if (section.horizons().isEmpty()) {
                markup.paragraph("No validated points.");
            } else {
                markup.table(
                        ReportTables.HORIZON_HEADER,
                        ReportTables.horizonRows(section, run.barInterval()));
            }
            markup.heading(3, "Trades");
            if (section.trades().trades() == 0) {
                markup.paragraph("No trades.");
            } else {
                markup.table(ReportTables.TRADE_HEADER, ReportTables.tradeRows(section));
            }
        }
        return markup.finish();
    }

    /**
     * The sections worth showing: each symbol, then all symbols together unless there is only one
     * symbol, whose section it would repeat.
     */
    static List<ReportSection> sections(BacktestReport report) {
        List<ReportSection> sections = new ArrayList<>(report.symbols());
        if (sections.size() > 1) {
            sections.add(report.allSymbols());
        }
        return sections;
    }
}
