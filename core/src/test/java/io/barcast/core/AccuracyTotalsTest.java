package io.barcast.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class AccuracyTotalsTest {

    @Test
    void figuresOfThreePointsAsWorkedOutByHand() {
        AccuracyTotals totals = new AccuracyTotals();
        totals.add(1, -2, true, true);
        totals.add(-3, 4, false, false);
        totals.add(2, 0, null, true);

        // |errors| 1, 3, 2; |naive errors| 2, 4, 0; the third price did not move
        assertThat(totals.points()).isEqualTo(3);
        assertThat(totals.maePercent()).isCloseTo(2.0, offset(1e-12));
        assertThat(totals.rmsePercent()).isCloseTo(Math.sqrt(14.0 / 3), offset(1e-12));
        assertThat(totals.naiveMaePercent()).isCloseTo(2.0, offset(1e-12));
        assertThat(totals.naiveRmsePercent()).isCloseTo(Math.sqrt(20.0 / 3), offset(1e-12));
        assertThat(totals.directionalAccuracy()).isEqualTo(0.5);
        assertThat(totals.bandCoverage()).isCloseTo(2.0 / 3, offset(1e-12));
        assertThat(totals.skill()).isCloseTo(0.0, offset(1e-12));

        Accuracy accuracy = totals.toAccuracy("X:ABC", 900_000, "1h", "7");
        assertThat(accuracy.id()).isEqualTo(Accuracy.idOf("X:ABC", "1h", 900_000));
        assertThat(accuracy.points()).isEqualTo(3);
        assertThat(accuracy.maePercent()).isEqualTo(totals.maePercent());
        assertThat(accuracy.skill()).isEqualTo(totals.skill());
    }

    @Test
    void totalsOfDisjointPointsAddUpToTheTotalsOfAllOfThem() {
        AccuracyTotals all = new AccuracyTotals();
        AccuracyTotals first = new AccuracyTotals();
        AccuracyTotals second = new AccuracyTotals();
        double[][] points = {{0.5, -1.5}, {-2.0, 1.0}, {3.0, 2.5}, {-0.25, -0.75}};
        for (int i = 0; i < points.length; i++) {
            Boolean right = i % 3 == 0 ? null : i % 2 == 0;
            all.add(points[i][0], points[i][1], right, i != 2);
            (i < 2 ? first : second).add(points[i][0], points[i][1], right, i != 2);
        }
        AccuracyTotals merged = new AccuracyTotals();
        merged.add(first);
        merged.add(second);
        AccuracyTotals summed = AccuracyTotals.of(4, 5.75, 13.3125, 5.75, 10.0625, 2, 1, 3);

        for (AccuracyTotals other : new AccuracyTotals[] {merged, summed}) {
            assertThat(other.toAccuracy("X:ABC", 0, "all", "1"))
                    .usingRecursiveComparison()
                    .withComparatorForType(
                            (a, b) -> Math.abs(a - b) < 1e-12 ? 0 : Double.compare(a, b),
                            Double.class)
                    .isEqualTo(all.toAccuracy("X:ABC", 0, "all", "1"));
        }
    }

    @Test
    void figuresWithNothingToCountAreNull() {
        assertThat(new AccuracyTotals().toAccuracy("X:ABC", 0, "all", "1")).isNull();
        AccuracyTotals flat = new AccuracyTotals();
        flat.add(1, 0, null, true);
        assertThat(flat.directionalAccuracy()).isNull();
        assertThat(flat.skill()).isNull();
    }
}
