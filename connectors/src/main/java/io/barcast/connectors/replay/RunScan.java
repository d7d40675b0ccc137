package io.barcast.connectors.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a file's runs in one streaming pass: maximal stretches whose bars' times do not decrease
 * (what cannot be parsed does not count). A file in time order is one run; a file grouped by symbol
 * is one run per symbol. Past {@code maxRuns} the last run takes the rest of the file as it stands,
 * so memory stays bounded and the bars there that are earlier than their predecessors come out
 * late, which the pipeline treats as it treats any late bar.
 */
final class RunScan {

    private static final Logger LOG = LoggerFactory.getLogger(RunScan.class);

    private RunScan() {}

    static List<ReplayRun> of(int fileIndex, Path file, FileRecords records, int maxRuns)
            throws IOException {
        List<long[]> starts = new ArrayList<>();
        starts.add(new long[] {0, 1});
        long lastTime = Long.MIN_VALUE;
        long lastInOrderLine = 0;
        long stepsBack = 0;
        FileRecord record;
        while ((record = records.next()) != null) {
            if (!record.incoming().isParsed()) {
                continue;
            }
            long time = record.time();
            if (time < lastTime) {
                if (starts.size() < maxRuns) {
                    starts.add(new long[] {record.offset(), record.line()});
                } else {
                    stepsBack++;
                    if (stepsBack == 1) {
                        lastInOrderLine = record.line();
                    }
                }
            }
            lastTime = time;
        }
        if (stepsBack > 0) {
            LOG.warn(
                    "Replay: {} goes back in time more than {} times; from line {} on it is"
                            + " replayed as it stands, and {} bars there come out of time order",
                    file,
                    maxRuns - 1,
                    lastInOrderLine,
                    stepsBack);
        }
        List<ReplayRun> runs = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            long end = i + 1 < starts.size() ? starts.get(i + 1)[0] : Long.MAX_VALUE;
            runs.add(new ReplayRun(fileIndex, starts.get(i)[0], starts.get(i)[1], 0, end));
        }
        return runs;
    }
}
