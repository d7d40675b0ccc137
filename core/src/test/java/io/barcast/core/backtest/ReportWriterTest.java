package io.barcast.core.backtest;

import static io.barcast.core.backtest.BacktestFixtures.FIFTEEN_MINUTES;
import static io.barcast.core.backtest.BacktestFixtures.MARCH_1;
import static io.barcast.core.backtest.BacktestFixtures.fourTrades;
import static io.barcast.core.backtest.BacktestFixtures.point;
import static io.barcast.core.backtest.BacktestFixtures.run;
import static io.barcast.core.backtest.BacktestFixtures.threePoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.core.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

    private static final long STEP = FIFTEEN_MINUTES.toMillis();

    @Test
    void markdownShowsTheRunAndEachHorizonsFigures() {
        List<Validation> validations = new ArrayList<>(threePoints("AAPL"));
        validations.add(point("AAPL", 96, 103, 104, 0, 200));
        BacktestReport report =
                BacktestReport.compute(run("AAPL"), validations, fourTrades("AAPL"));

        String markdown = ReportWriter.markdown(report);

        assertThat(markdown)
                .startsWith("# Backtest of lstm-direct 1.4.0\n")
                .contains("- **Span:** 2024-03-01 00:00 UTC to 2024-03-08 00:00 UTC")
                .contains("- **Bar interval:** 15 min")
                .contains("- **Points validated:** 4")
                .contains("above 0 the model beats it")
                .contains("## AAPL")
                // MAE 5/3, RMSE sqrt(11/3), MAPE 1.644 %, 1 of 2 moves, 2 of 3 in band, skill -2/3
                .contains(
                        "| +1 bar (15 min) | 3 | 1.667 | 1.915 | 1.64 | 50.0% | 66.7% | 1 | -0.667 |")
                .contains("| +96 bars (1 day) | 1 | 1 | 1 | 0.96 | 100.0% | 100.0% | 4 | 0.750 |")
                .contains("| All | 4 | 2 | 1 | 1 | 0 | 50.0% | 1.00 |")
                .contains("| Long | 2 | 1 | 1 | 0 | 0 | 50.0% | 0.50 |");
        // one symbol: a section over all symbols would only repeat it
        assertThat(markdown).doesNotContain(BacktestReport.ALL_SYMBOLS);
    }

    @Test
    void markdownSaysWhatIsMissingAndShowsAllSymbolsWhenThereAreSeveral() {
        BacktestReport report =
                BacktestReport.compute(
                        run("AAPL", "ETH-USD"),
                        List.of(point("AAPL", 1, 101, 100, 99, 101)),
                        List.of());

        String markdown = ReportWriter.markdown(report);

        assertThat(markdown)
                .contains("| +1 bar (15 min) | 1 | 1 | 1 | 1.00 | n/a | 100.0% | 0 | n/a |")
                .contains("## ETH-USD\n\nNo validated points.")
                .contains("No trades.")
                .contains("## " + BacktestReport.ALL_SYMBOLS);
    }

    @Test
    void namesHorizonsInBarsAndTime() {
        assertThat(ReportTables.horizon(1, FIFTEEN_MINUTES)).isEqualTo("+1 bar (15 min)");
        assertThat(ReportTables.horizon(4, FIFTEEN_MINUTES)).isEqualTo("+4 bars (1 h)");
        assertThat(ReportTables.horizon(26, FIFTEEN_MINUTES)).isEqualTo("+26 bars (6 h 30 min)");
        assertThat(ReportTables.horizon(96, FIFTEEN_MINUTES)).isEqualTo("+96 bars (1 day)");
        assertThat(ReportTables.horizon(672, FIFTEEN_MINUTES)).isEqualTo("+672 bars (7 days)");
        assertThat(ReportTables.horizon(3, Duration.ofSeconds(20))).isEqualTo("+3 bars (1 min)");
    }

    @Test
    void htmlIsOnePageThatLoadsNothing() {
        BacktestReport report =
                BacktestReport.compute(run("AAPL"), threePoints("AAPL"), fourTrades("AAPL"));

        String html = ReportWriter.html(report, List.of(chart("AAPL")));

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html.toLowerCase())
                .doesNotContain("http")
                .doesNotContain("src=")
                .doesNotContain("href=")
                .doesNotContain("<script")
                .doesNotContain("<link")
                .doesNotContain("@import")
                .doesNotContain("url(");
        assertThat(html)
                .contains("<td>+1 bar (15 min)</td><td>3</td><td>1.667</td>")
                .contains("<th>Mean return %</th>");
    }

    @Test
    void htmlChartsActualClosesSampledForecastsAndTheNewestBand() {
        BacktestReport report = BacktestReport.compute(run("AAPL"), threePoints("AAPL"), List.of());

        String html = ReportWriter.html(report, List.of(chart("AAPL")));

        assertThat(html).containsOnlyOnce("<svg ").containsOnlyOnce("</svg>");
        assertThat(html).containsOnlyOnce("<polyline class=\"actual\"");
        assertThat(count(html, "<polyline class=\"forecast\"")).isEqualTo(2);
        // the newest forecast has 3 points: its path from the as-of close out along the upper
        // prices, back along the lower ones, and closed at the as-of close
        String band = between(html, "<polygon class=\"band\" points=\"", "\"");
        assertThat(band.trim().split(" ")).hasSize(1 + 3 + 3 + 1);
        // every forecast path starts at the actual close of its as-of bar
        String older = between(html, "<polyline class=\"forecast\" points=\"", "\"");
        String actual = between(html, "<polyline class=\"actual\" points=\"", "\"");
        assertThat(actual.split(" ")[8]).isEqualTo(older.split(" ")[0]);
        assertThat(html).contains(">2 sampled forecasts<").contains(">UTC<");
    }

    @Test
    void htmlLabelsTheAxesWithUtcDatesAndRoundPrices() {
        BacktestReport report = BacktestReport.compute(run("AAPL"), List.of(), List.of());
        // a week of bars from 100 to 110
        int bars = 7 * 96;
        long[] times = new long[bars];
        double[] closes = new double[bars];
        for (int i = 0; i < bars; i++) {
            times[i] = MARCH_1 + i * STEP;
            closes[i] = 100 + 10.0 * i / (bars - 1);
        }

        String html =
                ReportWriter.html(report, List.of(new ChartData("AAPL", times, closes, List.of())));

        assertThat(html)
                .contains(">2024-03-01<")
                .contains(">2024-03-07<")
                .contains(">100<")
                .contains(">110<")
                .doesNotContain(">99<");
    }

    @Test
    void htmlEscapesNamesAndRefusesAChartForAnUnknownSymbol() {
        RunFacts run =
                new RunFacts(
                        "<lstm> & co",
                        "1",
                        List.of("AAPL"),
                        MARCH_1,
                        MARCH_1,
                        FIFTEEN_MINUTES,
                        0,
                        0);
        BacktestReport report = BacktestReport.compute(run, List.of(), List.of());

        assertThat(ReportWriter.html(report, List.of()))
                .contains("&lt;lstm&gt; &amp; co")
                .doesNotContain("<lstm>")
                .doesNotContain("<svg");
        assertThatThrownBy(() -> ReportWriter.html(report, List.of(chart("MSFT"))))
                .hasMessageContaining("MSFT");
    }

    /**
     * Twelve bars from 100 up by 1 a bar; forecasts as of bar 8 (two points) and of bar 10 (three
     * points, the newest).
     */
    private static ChartData chart(String symbol) {
        long[] times = new long[12];
        double[] closes = new double[12];
        for (int i = 0; i < times.length; i++) {
            times[i] = MARCH_1 + i * STEP;
            closes[i] = 100 + i;
        }
        ChartData.Forecast older =
                new ChartData.Forecast(
                        times[8],
                        new long[] {times[9], times[10]},
                        new double[] {109.5, 110},
                        new double[] {108, 107},
                        new double[] {111, 113});
        ChartData.Forecast newest =
                new ChartData.Forecast(
                        times[10],
                        new long[] {times[11], times[11] + STEP, times[11] + 2 * STEP},
                        new double[] {111, 112, 111.5},
                        new double[] {109, 108, 107},
                        new double[] {113, 115, 116});
        return new ChartData(symbol, times, closes, List.of(older, newest));
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}
