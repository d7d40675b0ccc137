package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.backtest.BacktestReport;
import io.barcast.core.backtest.HorizonAccuracy;
import io.barcast.core.backtest.OutcomeSummary;
import io.barcast.core.backtest.ReportSection;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.cli.BarcastCli;
import io.barcast.jobs.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barcast backtest} end to end: the real ETH bars through the real model into a real
 * PostgreSQL on a MiniCluster, and the report's figures checked against the same figures computed
 * by PostgreSQL from the rows the job wrote.
 */
class BacktestITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

    @TempDir static Path dir;

    private static final Path MODEL =
            Path.of(System.getProperty("barcast.test.model-dir", "../models/default"));

    private static List<Bar> eth;
    private static Path input;
    private static Path out;
    private static BacktestReport report;

    @BeforeAll
    static void runBacktest() throws Exception {
        eth = RealBars.eth15m();
        input = dir.resolve("eth.jsonl");
        ObjectMapper mapper = Json.newMapper();
        List<String> lines = new ArrayList<>();
        for (Bar bar : eth) {
            lines.add(mapper.writeValueAsString(bar));
        }
        Files.write(input, lines);
        out = dir.resolve("report");

        int exitCode =
                BarcastCli.execute(
                        "backtest",
                        "--bars",
                        input.toString(),
                        "--model",
                        MODEL.toString(),
                        "--out",
                        out.toString(),
                        "--set",
                        "jdbc.url=" + DB.url(),
                        "--set",
                        "jdbc.user=" + DB.user(),
                        "--set",
                        "jdbc.password=" + DB.password(),
                        // low enough for the default model's small moves on three days of bars
                        "--set",
                        "recommendation.min-profit-percent=0.3",
                        "--set",
                        "recommendation.min-confidence=0.3",
                        "--set",
                        "band.min-residuals=20");
        assertThat(exitCode).isZero();
        report = BacktestReport.fromJson(Files.readString(out.resolve("report.json")));
    }

    @Test
    void reportsTheRunItReplayed() throws Exception {
        ModelBundle model = ModelBundle.load(MODEL);
        assertThat(report.run().modelName()).isEqualTo(model.spec().name());
        assertThat(report.run().modelVersion()).isEqualTo(model.spec().version());
        assertThat(report.run().symbols()).containsExactly(RealBars.ETH_SYMBOL);
        assertThat(report.run().from()).isEqualTo(eth.get(0).time());
        assertThat(report.run().to()).isEqualTo(eth.get(eth.size() - 1).time());
        assertThat(report.run().barsReplayed()).isEqualTo(eth.size());
        assertThat(report.run().forecastsMade())
                .isEqualTo(DB.count("SELECT count(*) FROM predictions"))
                .isEqualTo(eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1);
        assertThat(report.validations())
                .isPositive()
                .isEqualTo(DB.count("SELECT count(*) FROM validations"));
    }

    @Test
    void accuracyAtEachHorizonIsWhatPostgresComputesFromTheValidations() {
        List<Map<String, Object>> expected =
                DB.query(
                        "SELECT horizon_bars, count(*) AS points,"
                                + " avg(abs(predicted - actual)) AS mae,"
                                + " sqrt(avg((predicted - actual) ^ 2)) AS rmse,"
                                + " avg(abs(error_percent)) AS mape,"
                                + " avg(direction_right::int) AS directional,"
                                + " avg(inside_band::int) AS coverage,"
                                + " avg(abs(last_close - actual)) AS naive_mae,"
                                + " 1 - avg(abs(predicted - actual))"
                                + " / nullif(avg(abs(last_close - actual)), 0) AS skill"
                                + " FROM validations GROUP BY horizon_bars ORDER BY horizon_bars");
        assertThat(expected).isNotEmpty();
        ReportSection ethSection = report.symbols().get(0);
        assertThat(ethSection.name()).isEqualTo(RealBars.ETH_SYMBOL);
        for (ReportSection section : List.of(ethSection, report.allSymbols())) {
            List<HorizonAccuracy> horizons = section.horizons();
            assertThat(horizons).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                Map<String, Object> row = expected.get(i);
                HorizonAccuracy h = horizons.get(i);
                assertThat(h.horizonBars()).isEqualTo(row.get("horizon_bars"));
                assertThat((long) h.points()).isEqualTo(row.get("points"));
                assertClose(h.mae(), row.get("mae"));
                assertClose(h.rmse(), row.get("rmse"));
                assertClose(h.mapePercent(), row.get("mape"));
                assertClose(h.directionalAccuracy(), row.get("directional"));
                assertClose(h.bandCoverage(), row.get("coverage"));
                assertClose(h.naiveMae(), row.get("naive_mae"));
                assertClose(h.skill(), row.get("skill"));
            }
        }
    }

    @Test
    void tradesAreCountedAsTheOutcomesTableHoldsThem() {
        Map<String, Object> expected =
                DB.query(
                                "SELECT count(*) AS trades,"
                                        + " count(*) FILTER (WHERE outcome = 'target_hit') AS target,"
                                        + " count(*) FILTER (WHERE outcome = 'stop_hit') AS stop,"
                                        + " count(*) FILTER (WHERE outcome = 'expired') AS expired,"
                                        + " count(*) FILTER (WHERE outcome = 'missed') AS missed,"
                                        + " count(*) FILTER (WHERE side = 'long') AS long_trades,"
                                        + " avg((realized_return_percent > 0)::int) FILTER (WHERE"
                                        + " outcome <> 'missed') AS success,"
                                        + " avg(realized_return_percent) FILTER (WHERE outcome <>"
                                        + " 'missed') AS mean_return"
                                        + " FROM trade_outcomes")
                        .get(0);
        OutcomeSummary trades = report.allSymbols().trades();
        assertThat((long) trades.trades()).isEqualTo(expected.get("trades"));
        assertThat((long) trades.targetHit()).isEqualTo(expected.get("target"));
        assertThat((long) trades.stopHit()).isEqualTo(expected.get("stop"));
        assertThat((long) trades.expired()).isEqualTo(expected.get("expired"));
        assertThat((long) trades.missed()).isEqualTo(expected.get("missed"));
        assertThat((long) report.allSymbols().longTrades().trades())
                .isEqualTo(expected.get("long_trades"));
        assertThat(report.symbols().get(0).trades()).isEqualTo(trades);
        if (trades.trades() > trades.missed()) {
            assertClose(trades.successRate(), expected.get("success"));
            assertClose(trades.meanRealizedReturnPercent(), expected.get("mean_return"));
        }
        assertThat(trades.targetHit() + trades.stopHit() + trades.expired() + trades.missed())
                .isEqualTo(trades.trades());
    }

    @Test
    void writesMarkdownAndASelfContainedHtmlPageWithCharts() throws Exception {
        String markdown = Files.readString(out.resolve("report.md"));
        assertThat(markdown).startsWith("# Backtest of ").contains("## " + RealBars.ETH_SYMBOL);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg").doesNotContain("http");
    }

    @Test
    void rejectsABadOptionWithExitCode2AndNamesIt() throws Exception {
        Path emptyModel = Files.createDirectories(dir.resolve("no-model"));
        assertRejected(
                "--bars",
                "backtest",
                "--bars",
                dir.resolve("missing.jsonl").toString(),
                "--model",
                MODEL.toString(),
                "--out",
                dir.resolve("unused").toString());
        assertRejected(
                "--to",
                "backtest",
                "--bars",
                input.toString(),
                "--model",
                MODEL.toString(),
                "--from",
                "2023-03-15",
                "--to",
                "2023-03-14",
                "--out",
                dir.resolve("unused").toString());
        assertRejected(
                "--model",
                "backtest",
                "--bars",
                input.toString(),
                "--model",
                emptyModel.toString(),
                "--out",
                dir.resolve("unused").toString());
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    private static void assertRejected(String option, String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exitCode;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode = BarcastCli.execute(args);
        } finally {
            System.setErr(stderr);
        }
        assertThat(exitCode).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("'" + option + "'");
    }

    /**
     * Equal within 1e-9 relative (the two sum in different orders); NaN in the report is NULL in
     * SQL.
     */
    private static void assertClose(double actual, Object expected) {
        if (expected == null) {
            assertThat(actual).isNaN();
            return;
        }
        double value = ((Number) expected).doubleValue();
        assertThat(actual).isCloseTo(value, within(Math.max(1e-9 * Math.abs(value), 1e-15)));
    }
}
