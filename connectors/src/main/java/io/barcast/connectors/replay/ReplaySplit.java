package io.barcast.connectors.replay;

import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * Bar files replayed together, merged in event-time order.
 *
 * @param runs where each run of each file got to, in file order and by position within a file;
 *     empty until the files were scanned for their runs
 * @param barsToSkip records of the merged order to skip before emitting: how a split written by
 *     version 1, which kept only that count, is restored
 */
public record ReplaySplit(String splitId, List<String> files, List<ReplayRun> runs, long barsToSkip)
        implements SourceSplit {

    public ReplaySplit {
        files = List.copyOf(files);
        runs = List.copyOf(runs);
    }

    /** The files, not yet read. */
    static ReplaySplit unread(String splitId, List<String> files) {
        return new ReplaySplit(splitId, files, List.of(), 0);
    }
}
