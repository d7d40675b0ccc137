package io.barcast.core.backtest;

import static io.barcast.core.backtest.BacktestFixtures.fourTrades;
import static io.barcast.core.backtest.BacktestFixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.TradeOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeSummaryTest {

    @Test
    void countsOutcomesAndTheShareThatMadeMoney() {
        OutcomeSummary summary = OutcomeSummary.of(fourTrades("AAPL"));

        assertThat(summary.trades()).isEqualTo(4);
        assertThat(summary.targetHit()).isEqualTo(2);
        assertThat(summary.stopHit()).isEqualTo(1);
        assertThat(summary.expired()).isEqualTo(1);
        // the expired trade returned exactly 0: not a success
        assertThat(summary.successRate()).isEqualTo(0.5);
        assertThat(summary.meanRealizedReturnPercent())
                .isCloseTo((2.0 - 1.0 + 0.0 + 3.0) / 4, offset(1e-12));
    }

    @Test
    void shareAndMeanAreNotANumberWithoutTrades() {
        OutcomeSummary summary = OutcomeSummary.of(List.of());

        assertThat(summary.trades()).isZero();
        assertThat(summary.successRate()).isNaN();
        assertThat(summary.meanRealizedReturnPercent()).isNaN();
    }

    @Test
    void sectionSplitsTradesBySide() {
        ReportSection section = ReportSection.of("AAPL", List.of(), fourTrades("AAPL"));

        assertThat(section.longTrades())
                .isEqualTo(new OutcomeSummary(2, 1, 1, 0, 0, 0.5, (2.0 - 1.0) / 2));
        assertThat(section.shortTrades())
                .isEqualTo(new OutcomeSummary(2, 1, 0, 1, 0, 0.5, (0.0 + 3.0) / 2));
        assertThat(section.trades().trades()).isEqualTo(4);
    }

    @Test
    void anUnknownOutcomeStillCountsAsATrade() {
        OutcomeSummary summary =
                OutcomeSummary.of(
                        List.of(
                                trade("AAPL", "long", "cancelled", -0.5),
                                trade("AAPL", "long", TradeOutcome.TARGET_HIT, 1.5)));

        assertThat(summary.trades()).isEqualTo(2);
        assertThat(summary.targetHit() + summary.stopHit() + summary.expired()).isEqualTo(1);
        assertThat(summary.meanRealizedReturnPercent()).isCloseTo(0.5, offset(1e-12));
    }

    @Test
    void missedTradesAreCountedButLeftOutOfTheSuccessRateAndTheMeanReturn() {
        OutcomeSummary summary =
                OutcomeSummary.of(
                        List.of(
                                trade("AAPL", "long", TradeOutcome.MISSED, 0),
                                trade("AAPL", "long", TradeOutcome.TARGET_HIT, 2),
                                trade("AAPL", "long", TradeOutcome.STOP_HIT, -1)));

        assertThat(summary.trades()).isEqualTo(3);
        assertThat(summary.missed()).isEqualTo(1);
        assertThat(summary.successRate()).isEqualTo(0.5);
        assertThat(summary.meanRealizedReturnPercent()).isCloseTo(0.5, offset(1e-12));
    }
}
