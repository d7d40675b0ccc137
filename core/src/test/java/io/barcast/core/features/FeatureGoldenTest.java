package io.barcast.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.barcast.core.Bar;
import io.barcast.core.testing.RealBars;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link FeatureCalculator} equal to the training script: {@code golden/eth15m-features.csv}
 * is what {@code models/training/golden.py} computes on the real ETH 15-minute bars.
 */
class FeatureGoldenTest {

    private static final double TOLERANCE = 1e-6;

    @Test
    void matchesTheTrainingFeaturesOnRealEthBars() throws IOException {
        List<String> header = new ArrayList<>();
        List<double[]> rows = readGolden(header);
        FeatureCalculator calculator = FeatureCalculator.forNames(header.subList(1, header.size()));
        List<Bar> bars = RealBars.eth15m();

        assertThat(calculator.names()).isEqualTo(FeatureCalculator.KNOWN_NAMES);
        assertThat(rows).hasSize(bars.size() - calculator.lookback() + 1);
        double[] features = new double[calculator.featureCount()];
        for (int row = 0; row < rows.size(); row++) {
            int current = row + calculator.lookback() - 1;
            double[] expected = rows.get(row);
            assertThat(bars.get(current).time()).isEqualTo((long) expected[0]);

            calculator.compute(RecentBars.endingAt(bars, current), features, 0);

            for (int f = 0; f < features.length; f++) {
                assertThat(features[f])
                        .as("%s of bar %d", calculator.names().get(f), (long) expected[0])
                        .isCloseTo(expected[f + 1], within(TOLERANCE));
            }
        }
    }

    private static List<double[]> readGolden(List<String> header) throws IOException {
        InputStream in =
                FeatureGoldenTest.class
                        .getClassLoader()
                        .getResourceAsStream("golden/eth15m-features.csv");
        assertThat(in).as("golden/eth15m-features.csv on the test classpath").isNotNull();
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            header.addAll(Arrays.asList(reader.readLine().split(",")));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        return rows;
    }
}
