package io.barcast.core.backtest;

import static io.barcast.core.backtest.BacktestFixtures.fourTrades;
import static io.barcast.core.backtest.BacktestFixtures.point;
import static io.barcast.core.backtest.BacktestFixtures.run;
import static io.barcast.core.backtest.BacktestFixtures.threePoints;
import static io.barcast.core.backtest.BacktestFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.core.json.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestReportTest {

    @Test
    void listsTheRunsSymbolsInOrderThenAnyOtherSymbolSeen() {
        List<Validation> validations = new ArrayList<>(threePoints("AAPL"));
        validations.add(point("ETH-USD", 1, 101, 102, 0, 200));
        List<TradeOutcome> outcomes = List.of(trade("MSFT", "long", TradeOutcome.EXPIRED, 0.2));

        BacktestReport report =
                BacktestReport.compute(run("ETH-USD", "AAPL", "BTC-USD"), validations, outcomes);

        assertThat(report.symbols())
                .extracting(ReportSection::name)
                .containsExactly("ETH-USD", "AAPL", "BTC-USD", "MSFT");
        assertThat(report.validations()).isEqualTo(4);
        assertThat(report.symbols().get(1).horizons().get(0).points()).isEqualTo(3);
        assertThat(report.symbols().get(2).horizons()).isEmpty();
        assertThat(report.symbols().get(2).trades().trades()).isZero();
        assertThat(report.symbols().get(3).trades().trades()).isEqualTo(1);
    }

    @Test
    void allSymbolsPoolsThePointsAndTradesOfEverySymbol() {
        List<Validation> validations = new ArrayList<>(threePoints("AAPL"));
        // error 2, naive error 3
        validations.add(point("ETH-USD", 1, 101, 103, 0, 200));
        List<TradeOutcome> outcomes = new ArrayList<>(fourTrades("AAPL"));
        outcomes.add(trade("ETH-USD", "short", TradeOutcome.STOP_HIT, -2.0));

        BacktestReport report =
                BacktestReport.compute(run("AAPL", "ETH-USD"), validations, outcomes);

        ReportSection all = report.allSymbols();
        assertThat(all.name()).isEqualTo(BacktestReport.ALL_SYMBOLS);
        assertThat(all.horizons()).hasSize(1);
        assertThat(all.horizons().get(0).points()).isEqualTo(4);
        assertThat(all.horizons().get(0).mae()).isCloseTo((1 + 3 + 1 + 2) / 4.0, offset(1e-12));
        assertThat(all.horizons().get(0).skill())
                .isCloseTo(1 - (7 / 4.0) / (6 / 4.0), offset(1e-12));
        assertThat(all.trades().trades()).isEqualTo(5);
        assertThat(all.shortTrades().stopHit()).isEqualTo(1);
        assertThat(all.trades().meanRealizedReturnPercent()).isCloseTo(2.0 / 5, offset(1e-12));
    }

    @Test
    void writesNotANumberAsNullAndReadsItBack() throws Exception {
        // no price moved and nothing traded: direction, skill and the trade figures are NaN
        BacktestReport report =
                BacktestReport.compute(
                        run("AAPL"),
                        List.of(
                                point("AAPL", 1, 101, 100, 99, 101),
                                point("AAPL", 4, 98, 100, 97, 99)),
                        List.of());

        String json = ReportWriter.json(report);

        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity").contains("\n  ");
        JsonNode tree = Json.newMapper().readTree(json);
        JsonNode firstHorizon = tree.path("symbols").path(0).path("horizons").path(0);
        assertThat(firstHorizon.path("directionalAccuracy").isNull()).isTrue();
        assertThat(firstHorizon.path("skill").isNull()).isTrue();
        assertThat(firstHorizon.path("mae").asDouble()).isEqualTo(1.0);
        assertThat(tree.path("allSymbols").path("trades").path("successRate").isNull()).isTrue();
        assertThat(tree.path("run").path("barInterval").asText()).isEqualTo("PT15M");
        assertThat(tree.path("run").path("symbols").get(0).asText()).isEqualTo("AAPL");
        assertThat(BacktestReport.fromJson(json)).isEqualTo(report);
    }

    @Test
    void roundTripsAFullReportThroughJson() {
        List<Validation> validations = new ArrayList<>(threePoints("AAPL"));
        validations.add(point("ETH-USD", 96, 101, 99, 0, 200));
        BacktestReport report =
                BacktestReport.compute(run("AAPL", "ETH-USD"), validations, fourTrades("AAPL"));

        assertThat(BacktestReport.fromJson(ReportWriter.json(report))).isEqualTo(report);
    }

    @Test
    void refusesJsonThatIsNotAReport() {
        assertThatThrownBy(() -> BacktestReport.fromJson("{\"run\": 3}"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("not a backtest report");
    }

    @Test
    void refusesARunThatEndsBeforeItStarts() {
        assertThatThrownBy(
                        () ->
                                new RunFacts(
                                        "m",
                                        "1",
                                        List.of("AAPL"),
                                        10,
                                        5,
                                        Duration.ofMinutes(15),
                                        0,
                                        0))
                .hasMessageContaining("before it starts");
        assertThatThrownBy(() -> new RunFacts("m", "1", List.of(), 0, 5, Duration.ZERO, 0, 0))
                .hasMessageContaining("barInterval");
    }
}
