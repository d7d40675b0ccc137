package io.barcast.connectors.source;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands a fixed set of splits to the readers, split {@code i} to reader {@code i mod parallelism},
 * as readers register. Its checkpoint is the splits not yet handed out.
 */
public final class StaticSplitEnumerator<SplitT extends SourceSplit>
        implements SplitEnumerator<SplitT, List<SplitT>> {

    private final SplitEnumeratorContext<SplitT> context;
    private final List<SplitT> unassigned;

    public StaticSplitEnumerator(SplitEnumeratorContext<SplitT> context, List<SplitT> splits) {
        this.context = context;
        this.unassigned = new ArrayList<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<SplitT> splits, int subtaskId) {
        unassigned.addAll(splits);
        if (context.registeredReaders().containsKey(subtaskId)) {
            addReader(subtaskId);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        int parallelism = context.currentParallelism();
        List<SplitT> remaining = new ArrayList<>();
        for (SplitT split : unassigned) {
            int owner = Math.floorMod(ordinalOf(split.splitId()), parallelism);
            if (owner == subtaskId) {
                context.assignSplit(split, subtaskId);
            } else {
                remaining.add(split);
            }
        }
        unassigned.clear();
        unassigned.addAll(remaining);
        context.signalNoMoreSplits(subtaskId);
    }

    /** Split ids end in their ordinal ({@code sim-3}), which spreads them evenly. */
    private static int ordinalOf(String splitId) {
        int start = splitId.length();
        while (start > 0 && Character.isDigit(splitId.charAt(start - 1))) {
            start--;
        }
        return start < splitId.length() && splitId.length() - start < 9
                ? Integer.parseInt(splitId.substring(start))
                : splitId.hashCode();
    }

    @Override
    public List<SplitT> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
}
