package io.barcast.core.confidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfidenceWeightsTest {

    @Test
    void theDefaultsSumToOneInFactorOrder() {
        double sum =
                Arrays.stream(ConfidenceFactor.values())
                        .mapToDouble(ConfidenceWeights.DEFAULTS::weight)
                        .sum();
        assertThat(sum).isCloseTo(1, offset(1e-12));
        assertThat(ConfidenceWeights.DEFAULTS.weight(ConfidenceFactor.MODEL_PERFORMANCE))
                .isEqualTo(0.25);
        assertThat(ConfidenceWeights.DEFAULTS.weight(ConfidenceFactor.HISTORICAL_ACCURACY))
                .isEqualTo(0.02);
        assertThat(ConfidenceWeights.DEFAULTS.asMap().keySet())
                .containsExactly(ConfidenceFactor.values());
    }

    @Test
    void keysNotGivenKeepTheirDefaults() {
        ConfidenceWeights weights =
                ConfidenceWeights.of(Map.of("model_performance", 0.2, "data_quality", 0.2));

        assertThat(weights.weight(ConfidenceFactor.MODEL_PERFORMANCE)).isEqualTo(0.2);
        assertThat(weights.weight(ConfidenceFactor.DATA_QUALITY)).isEqualTo(0.2);
        assertThat(weights.weight(ConfidenceFactor.MARKET_VOLATILITY)).isEqualTo(0.15);
    }

    @Test
    void refusesWeightsThatDoNotSumToOneGivingTheSumAndTheWeights() {
        assertThatThrownBy(() -> ConfidenceWeights.of(Map.of("model_performance", 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sum to 1.25")
                .hasMessageContaining("model_performance=0.5")
                .hasMessageContaining("historical_accuracy=0.02");
    }

    @Test
    void refusesANegativeOrNonFiniteWeightNamingItsKey() {
        assertThatThrownBy(() -> ConfidenceWeights.of(Map.of("time_of_day", -0.05)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time_of_day")
                .hasMessageContaining("-0.05");
        assertThatThrownBy(() -> ConfidenceWeights.of(Map.of("market_regime", Double.NaN)))
                .hasMessageContaining("market_regime");
        Map<String, Double> missing = new HashMap<>();
        missing.put("volume_analysis", null);
        assertThatThrownBy(() -> ConfidenceWeights.of(missing))
                .hasMessageContaining("volume_analysis");
    }

    @Test
    void refusesAnUnknownKeyListingTheKnownOnes() {
        assertThatThrownBy(() -> ConfidenceWeights.of(Map.of("sentiment", 0.0)))
                .hasMessageContaining("sentiment")
                .hasMessageContaining("model_performance, data_quality");
    }

    @Test
    void parsesKeyEqualsValuePairs() {
        ConfidenceWeights weights =
                ConfidenceWeights.parse(
                        " model_performance = 0.3 ,historical_accuracy=0,prediction_stability=0");

        assertThat(weights.weight(ConfidenceFactor.MODEL_PERFORMANCE)).isEqualTo(0.3);
        assertThat(weights.weight(ConfidenceFactor.HISTORICAL_ACCURACY)).isEqualTo(0);
        assertThat(weights.weight(ConfidenceFactor.PREDICTION_STABILITY)).isEqualTo(0);
        assertThat(ConfidenceWeights.parse("")).isEqualTo(ConfidenceWeights.DEFAULTS);
        assertThat(ConfidenceWeights.parse(ConfidenceWeights.DEFAULTS.toString()))
                .isEqualTo(ConfidenceWeights.DEFAULTS);
    }

    @Test
    void refusesTextThatIsNotKeyEqualsNumber() {
        assertThatThrownBy(() -> ConfidenceWeights.parse("model_performance"))
                .hasMessageContaining("'model_performance' is not key=weight");
        assertThatThrownBy(() -> ConfidenceWeights.parse("data_quality=high"))
                .hasMessageContaining("weight of data_quality is 'high'");
    }
}
