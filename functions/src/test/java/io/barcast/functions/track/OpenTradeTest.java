package io.barcast.functions.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Recommendation;
import io.barcast.core.TradeOutcome;
import org.junit.jupiter.api.Test;

class OpenTradeTest {

    private static final long BAR = 900_000;

    private static OpenTrade trade(String side, long entry, double target, double stop) {
        return OpenTrade.of(
                new Recommendation(
                        "r",
                        "p",
                        "AAPL",
                        0,
                        side,
                        entry,
                        100,
                        entry + 10 * BAR,
                        target,
                        stop,
                        5,
                        2,
                        0.8,
                        "1",
                        Recommendation.ACTIVE,
                        null,
                        0));
    }

    @Test
    void aTradeWhosePriceIsAlreadyPastItsTargetAtEntryIsMissedNotWon() {
        // the forecast wanted to buy at 100 and sell at 105; the price got to 106 first
        OpenTrade late = trade("long", BAR, 105, 95);
        assertThat(late.observe(0, 100, 101, 99, 100)).isNull(); // before the entry time
        TradeOutcome missed = late.observe(BAR, 105, 107, 104, 106);
        assertThat(missed.outcome()).isEqualTo(TradeOutcome.MISSED);
        assertThat(missed.entered()).isFalse();
        assertThat(missed.realizedReturnPercent()).isZero();
        assertThat(missed.exitTime()).isEqualTo(BAR);

        OpenTrade shortPastStop = trade("short", BAR, 95, 103);
        assertThat(shortPastStop.observe(BAR, 103, 104, 102, 103.5).outcome())
                .isEqualTo(TradeOutcome.MISSED);
    }

    @Test
    void aShortReachesItsTargetBelowTheEntryWithAPositiveReturn() {
        OpenTrade trade = trade("short", BAR, 95, 103);
        assertThat(trade.observe(BAR, 100, 100.5, 99.5, 100)).isNull(); // entered at 100
        assertThat(trade.observe(2 * BAR, 100, 100.2, 97, 98)).isNull();
        TradeOutcome won = trade.observe(3 * BAR, 98, 98, 94, 94.5);
        assertThat(won.outcome()).isEqualTo(TradeOutcome.TARGET_HIT);
        assertThat(won.exitPrice()).isEqualTo(95);
        assertThat(won.realizedReturnPercent()).isEqualTo(5.0);
        assertThat(won.barsHeld()).isEqualTo(2);
    }

    @Test
    void aBarThatReachesBothTargetAndStopCountsAsTheStop() {
        OpenTrade trade = trade("long", BAR, 105, 95);
        trade.observe(BAR, 100, 100.5, 99.5, 100);
        TradeOutcome both = trade.observe(2 * BAR, 100, 106, 94, 100);
        assertThat(both.outcome()).isEqualTo(TradeOutcome.STOP_HIT);
        assertThat(both.realizedReturnPercent()).isEqualTo(-5.0);
    }

    @Test
    void aBarThatOpensBeyondALevelFillsAtItsOpen() {
        OpenTrade gapDown = trade("long", BAR, 105, 95);
        gapDown.observe(BAR, 100, 100.5, 99.5, 100);
        TradeOutcome stopped = gapDown.observe(2 * BAR, 90, 91, 89, 90.5);
        assertThat(stopped.outcome()).isEqualTo(TradeOutcome.STOP_HIT);
        assertThat(stopped.exitPrice()).isEqualTo(90);
        assertThat(stopped.realizedReturnPercent()).isEqualTo(-10.0);

        OpenTrade gapUp = trade("long", BAR, 105, 95);
        gapUp.observe(BAR, 100, 100.5, 99.5, 100);
        TradeOutcome won = gapUp.observe(2 * BAR, 108, 109, 107, 108.5);
        assertThat(won.outcome()).isEqualTo(TradeOutcome.TARGET_HIT);
        assertThat(won.exitPrice()).isEqualTo(108);
    }

    @Test
    void anExpiredTradeClosesAtItsExitBarsClose() {
        OpenTrade trade = trade("long", BAR, 105, 95);
        trade.observe(BAR, 100, 100.5, 99.5, 100);
        for (long t = 2 * BAR; t < 11 * BAR; t += BAR) {
            assertThat(trade.observe(t, 100, 101, 99, 100.5)).isNull();
        }
        TradeOutcome expired = trade.observe(11 * BAR, 100.5, 101, 99, 101);
        assertThat(expired.outcome()).isEqualTo(TradeOutcome.EXPIRED);
        assertThat(expired.exitTime()).isEqualTo(11 * BAR);
        assertThat(expired.exitPrice()).isEqualTo(101);
        assertThat(expired.realizedReturnPercent())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(expired.barsHeld()).isEqualTo(10);
    }
}
