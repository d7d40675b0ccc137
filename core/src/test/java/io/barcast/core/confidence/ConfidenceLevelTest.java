package io.barcast.core.confidence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfidenceLevelTest {

    @Test
    void eachLevelStartsAtItsBound() {
        assertThat(ConfidenceLevel.of(1)).isEqualTo(ConfidenceLevel.VERY_HIGH);
        assertThat(ConfidenceLevel.of(0.85)).isEqualTo(ConfidenceLevel.VERY_HIGH);
        assertThat(ConfidenceLevel.of(0.8499)).isEqualTo(ConfidenceLevel.HIGH);
        assertThat(ConfidenceLevel.of(0.7)).isEqualTo(ConfidenceLevel.HIGH);
        assertThat(ConfidenceLevel.of(0.6999)).isEqualTo(ConfidenceLevel.MEDIUM);
        assertThat(ConfidenceLevel.of(0.5)).isEqualTo(ConfidenceLevel.MEDIUM);
        assertThat(ConfidenceLevel.of(0.4999)).isEqualTo(ConfidenceLevel.LOW);
        assertThat(ConfidenceLevel.of(0.3)).isEqualTo(ConfidenceLevel.LOW);
        assertThat(ConfidenceLevel.of(0.2999)).isEqualTo(ConfidenceLevel.VERY_LOW);
        assertThat(ConfidenceLevel.of(0)).isEqualTo(ConfidenceLevel.VERY_LOW);
        assertThat(ConfidenceLevel.of(Double.NaN)).isEqualTo(ConfidenceLevel.VERY_LOW);
    }

    @Test
    void labelsAreSnakeCase() {
        assertThat(ConfidenceLevel.VERY_HIGH.label()).isEqualTo("very_high");
        assertThat(ConfidenceLevel.VERY_LOW.label()).isEqualTo("very_low");
        assertThat(ConfidenceLevel.MEDIUM.label()).isEqualTo("medium");
    }
}
