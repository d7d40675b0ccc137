package io.barcast.core.confidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfidenceDecayTest {

    private static final ConfidenceDecay DECAY = ConfidenceDecay.DEFAULTS;

    @Test
    void nothingDecaysInsideTheGracePeriods() {
        assertThat(DECAY.multiplier(Duration.ofDays(30), Duration.ofMinutes(20))).isEqualTo(1);
        assertThat(DECAY.multiplier(Duration.ZERO, Duration.ZERO)).isEqualTo(1);
    }

    @Test
    void aModelOneHalfLifePastItsGraceCountsHalf() {
        assertThat(DECAY.multiplier(Duration.ofDays(210), Duration.ZERO))
                .isCloseTo(0.5, offset(1e-12));
        assertThat(DECAY.multiplier(Duration.ofDays(390), Duration.ZERO))
                .isCloseTo(0.25, offset(1e-12));
    }

    @Test
    void aFeedOneHalfLifePastItsGraceCountsHalfAndTheCausesMultiply() {
        assertThat(DECAY.multiplier(Duration.ZERO, Duration.ofMinutes(80)))
                .isCloseTo(0.5, offset(1e-12));
        assertThat(DECAY.multiplier(Duration.ofDays(210), Duration.ofMinutes(80)))
                .isCloseTo(0.25, offset(1e-12));
    }

    @Test
    void negativeAgesAndDelaysCountAsNone() {
        assertThat(DECAY.multiplier(Duration.ofDays(-400), Duration.ofHours(-5))).isEqualTo(1);
    }

    @Test
    void anAbsurdAgeDecaysTowardsZeroWithoutOverflowing() {
        double multiplier = DECAY.multiplier(Duration.ofDays(365L * 100), Duration.ZERO);
        assertThat(multiplier).isPositive().isLessThan(1e-20);
    }

    @Test
    void refusesANonPositiveHalfLifeOrANegativeGraceNamingTheField() {
        assertThatThrownBy(
                        () ->
                                new ConfidenceDecay(
                                        Duration.ZERO,
                                        Duration.ZERO,
                                        Duration.ZERO,
                                        Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelAgeHalfLife must be positive");
        assertThatThrownBy(
                        () ->
                                new ConfidenceDecay(
                                        Duration.ZERO,
                                        Duration.ofDays(1),
                                        Duration.ofMinutes(-1),
                                        Duration.ofHours(1)))
                .hasMessageContaining("feedDelayGrace must be 0 or more");
        assertThatThrownBy(() -> new ConfidenceDecay(null, Duration.ofDays(1), Duration.ZERO, null))
                .hasMessageContaining("modelAgeGrace");
    }
}
