package io.barcast.connectors.polygon.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolygonSplitSerializerTest {

    @Test
    void roundTripsPositionsInOrder() throws Exception {
        Map<String, Long> positions = new LinkedHashMap<>();
        positions.put("MSFT", 1_763_650_800_000L);
        positions.put("X:BTCUSD", -900_000L);
        positions.put("AAPL", 0L);
        PolygonSplit split = new PolygonSplit("polygon-3", positions);
        PolygonSplitSerializer serializer = new PolygonSplitSerializer();

        PolygonSplit back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(back).isEqualTo(split);
        assertThat(back.positions().keySet()).containsExactly("MSFT", "X:BTCUSD", "AAPL");
    }
}
