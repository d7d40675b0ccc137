package io.barcast.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class ForecastPathTest {

    private static final int[] STEPS = {1, 2, 4};
    private static final float[] LOG_RETURNS = {0.01f, 0.02f, 0.06f};

    @Test
    void hitsTheModelsStepsExactly() {
        double[] prices = ForecastPath.prices(STEPS, LOG_RETURNS, 100, 4);
        assertThat(prices[0]).isCloseTo(100 * Math.exp(0.01f), offset(1e-9));
        assertThat(prices[1]).isCloseTo(100 * Math.exp(0.02f), offset(1e-9));
        assertThat(prices[3]).isCloseTo(100 * Math.exp(0.06f), offset(1e-9));
    }

    @Test
    void interpolatesTheLogReturnBetweenSteps() {
        double[] prices = ForecastPath.prices(STEPS, LOG_RETURNS, 100, 4);
        double halfway = (0.02f + 0.06f) / 2.0;
        assertThat(prices[2]).isCloseTo(100 * Math.exp(halfway), offset(1e-9));
    }

    @Test
    void interpolatesFromTheLastCloseBeforeTheFirstStep() {
        double[] prices = ForecastPath.prices(new int[] {4}, new float[] {0.04f}, 100, 4);
        assertThat(prices[0]).isCloseTo(100 * Math.exp(0.01f), offset(1e-6));
        assertThat(prices[1]).isCloseTo(100 * Math.exp(0.02f), offset(1e-6));
    }

    @Test
    void holdsTheLastStepInsteadOfExtrapolating() {
        double[] prices = ForecastPath.prices(STEPS, LOG_RETURNS, 100, 7);
        assertThat(prices).hasSize(7);
        assertThat(prices[6]).isEqualTo(prices[3]);
    }

    @Test
    void refusesAnOutputThatDoesNotMatchTheSteps() {
        assertThatThrownBy(() -> ForecastPath.prices(STEPS, new float[] {0.1f}, 100, 4))
                .hasMessageContaining("1 values for 3 horizon steps");
    }
}
