package io.barcast.core.backtest;

import static io.barcast.core.backtest.BacktestFixtures.point;
import static io.barcast.core.backtest.BacktestFixtures.threePoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.barcast.core.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;

class HorizonAccuracyTest {

    @Test
    void measuresThreePointsAsWorkedOutByHand() {
        HorizonAccuracy accuracy = HorizonAccuracy.of(threePoints("AAPL"));

        // errors +1, -3, +1; naive errors -1, -2, 0 (the last close is 100)
        assertThat(accuracy.horizonBars()).isEqualTo(1);
        assertThat(accuracy.points()).isEqualTo(3);
        assertThat(accuracy.mae()).isCloseTo(5.0 / 3, offset(1e-12));
        assertThat(accuracy.rmse()).isCloseTo(Math.sqrt(11.0 / 3), offset(1e-12));
        assertThat(accuracy.mapePercent())
                .isCloseTo((100.0 / 101 + 300.0 / 102 + 100.0 / 100) / 3, offset(1e-12));
        // the third point's price did not move: only two points count
        assertThat(accuracy.directionalAccuracy()).isEqualTo(0.5);
        assertThat(accuracy.bandCoverage()).isCloseTo(2.0 / 3, offset(1e-12));
        assertThat(accuracy.naiveMae()).isCloseTo(1.0, offset(1e-12));
        assertThat(accuracy.naiveRmse()).isCloseTo(Math.sqrt(5.0 / 3), offset(1e-12));
        assertThat(accuracy.naiveMapePercent())
                .isCloseTo((100.0 / 101 + 200.0 / 102) / 3, offset(1e-12));
        assertThat(accuracy.skill()).isCloseTo(1 - 5.0 / 3, offset(1e-12));
    }

    @Test
    void skillIsPositiveWhenTheModelErrsLessThanNoChange() {
        // errors 1 and 1 against naive errors 4 and 4
        HorizonAccuracy accuracy =
                HorizonAccuracy.of(
                        List.of(
                                point("AAPL", 2, 103, 104, 0, 200),
                                point("AAPL", 2, 97, 96, 0, 200)));

        assertThat(accuracy.skill()).isCloseTo(0.75, offset(1e-12));
        assertThat(accuracy.directionalAccuracy()).isEqualTo(1.0);
        assertThat(accuracy.bandCoverage()).isEqualTo(1.0);
    }

    @Test
    void directionAndSkillAreNotANumberWhenThePriceNeverMoved() {
        HorizonAccuracy accuracy =
                HorizonAccuracy.of(
                        List.of(
                                point("AAPL", 1, 101, 100, 99, 101),
                                point("AAPL", 1, 98, 100, 97, 99)));

        assertThat(accuracy.naiveMae()).isZero();
        assertThat(accuracy.skill()).isNaN();
        assertThat(accuracy.directionalAccuracy()).isNaN();
        assertThat(accuracy.mae()).isCloseTo(1.5, offset(1e-12));
        assertThat(accuracy.bandCoverage()).isEqualTo(0.5);
    }

    @Test
    void groupsByHorizonShortestFirst() {
        List<Validation> mixed =
                List.of(
                        point("AAPL", 96, 101, 102, 0, 200),
                        point("AAPL", 1, 101, 102, 0, 200),
                        point("AAPL", 4, 101, 102, 0, 200),
                        point("AAPL", 96, 103, 102, 0, 200));

        List<HorizonAccuracy> byHorizon = HorizonAccuracy.byHorizon(mixed);

        assertThat(byHorizon).extracting(HorizonAccuracy::horizonBars).containsExactly(1, 4, 96);
        assertThat(byHorizon).extracting(HorizonAccuracy::points).containsExactly(1, 1, 2);
        assertThat(HorizonAccuracy.byHorizon(List.of())).isEmpty();
    }

    @Test
    void refusesNoPointsAndMixedHorizons() {
        assertThatThrownBy(() -> HorizonAccuracy.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                HorizonAccuracy.of(
                                        List.of(
                                                point("AAPL", 1, 101, 102, 0, 200),
                                                point("AAPL", 2, 101, 102, 0, 200))))
                .hasMessageContaining("mix horizons 1 and 2");
    }
}
