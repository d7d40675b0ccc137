package io.barcast.connectors.polygon.split;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A group of symbols read together, and for each how far it has been delivered: every bar starting
 * at or before a symbol's position has been emitted or is known not to exist (a closed market, a
 * bar outside the session). A restored split asks for the bars after each position, so it neither
 * skips nor repeats one.
 */
public final class PolygonSplit implements SourceSplit {

    private final String splitId;
    private final Map<String, Long> positions;

    /**
     * @param positions symbol to the start (epoch ms) of the last bar delivered, in symbol order
     */
    public PolygonSplit(String splitId, Map<String, Long> positions) {
        this.splitId = splitId;
        this.positions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(positions));
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public Map<String, Long> positions() {
        return positions;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PolygonSplit that
                && splitId.equals(that.splitId)
                && positions.equals(that.positions);
    }

    @Override
    public int hashCode() {
        return splitId.hashCode() * 31 + positions.hashCode();
    }

    @Override
    public String toString() {
        return "PolygonSplit{" + splitId + ", " + positions + "}";
    }
}
