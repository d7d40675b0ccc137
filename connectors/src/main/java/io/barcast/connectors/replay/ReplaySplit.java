package io.barcast.connectors.replay;

import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * Bar files replayed together, merged in event-time order.
 *
 * @param position how many bars of the merged order were already emitted
 */
public record ReplaySplit(String splitId, List<String> files, long position)
        implements SourceSplit {}
