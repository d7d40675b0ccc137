package io.barcast.connectors.replay;

import io.barcast.connectors.source.BarCursor;
import io.barcast.core.IncomingBar;
import java.util.List;

/** Walks a replay split's merged bars from its checkpointed position. */
final class ReplayCursor implements BarCursor<ReplaySplit> {

    private final ReplaySplit split;
    private final List<IncomingBar> bars;
    private int position;

    ReplayCursor(ReplaySplit split) {
        this.split = split;
        this.bars = new BarFileReader().readAll(split.files());
        this.position = (int) Math.min(split.position(), bars.size());
    }

    @Override
    public boolean hasNext() {
        return position < bars.size();
    }

    @Override
    public long peekTime() {
        IncomingBar next = bars.get(position);
        return next.isParsed() ? next.bar().time() : Long.MIN_VALUE;
    }

    @Override
    public IncomingBar next() {
        return bars.get(position++);
    }

    @Override
    public ReplaySplit snapshot() {
        return new ReplaySplit(split.splitId(), split.files(), position);
    }
}
