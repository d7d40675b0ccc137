package io.barcast.connectors.source;

import io.barcast.core.DaemonThreads;
import io.barcast.core.IncomingBar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * Emits the bars of its splits merged in event-time order, optionally paced: at {@code speed} N a
 * bar is released once N times the wall-clock time since the first bar has passed in market time.
 * Speed 0 emits as fast as the job takes them.
 */
public final class PacedBarReader<SplitT extends SourceSplit>
        implements SourceReader<IncomingBar, SplitT> {

    private final Function<SplitT, BarCursor<SplitT>> cursorFactory;
    private final double speed;
    private final boolean bounded;
    private final List<BarCursor<SplitT>> cursors = new ArrayList<>();
    private final ScheduledExecutorService timer;

    private boolean noMoreSplits;
    private long firstBarTime = Long.MIN_VALUE;
    private long wallStart;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    public PacedBarReader(
            Function<SplitT, BarCursor<SplitT>> cursorFactory, double speed, boolean bounded) {
        this.cursorFactory = cursorFactory;
        this.speed = speed;
        this.bounded = bounded;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        DaemonThreads.named("barcast-source-pacer"));
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<IncomingBar> output) {
        BarCursor<SplitT> earliest = null;
        for (BarCursor<SplitT> cursor : cursors) {
            if (cursor.hasNext() && (earliest == null || cursor.peekTime() < earliest.peekTime())) {
                earliest = cursor;
            }
        }
        if (earliest == null) {
            if (noMoreSplits && bounded) {
                return InputStatus.END_OF_INPUT;
            }
            available = new CompletableFuture<>();
            return InputStatus.NOTHING_AVAILABLE;
        }
        long waitMillis = waitFor(earliest.peekTime());
        if (waitMillis > 0) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            available = future;
            timer.schedule(() -> future.complete(null), waitMillis, TimeUnit.MILLISECONDS);
            return InputStatus.NOTHING_AVAILABLE;
        }
        output.collect(earliest.next());
        return InputStatus.MORE_AVAILABLE;
    }

    private long waitFor(long barTime) {
        // what could not be parsed has no time: it goes out at once and sets no pace
        if (speed <= 0 || barTime == Long.MIN_VALUE) {
            return 0;
        }
        long now = System.currentTimeMillis();
        if (firstBarTime == Long.MIN_VALUE) {
            firstBarTime = barTime;
            wallStart = now;
        }
        long due = wallStart + (long) ((barTime - firstBarTime) / speed);
        return due - now;
    }

    @Override
    public List<SplitT> snapshotState(long checkpointId) {
        List<SplitT> splits = new ArrayList<>(cursors.size());
        for (BarCursor<SplitT> cursor : cursors) {
            splits.add(cursor.snapshot());
        }
        return splits;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<SplitT> splits) {
        for (SplitT split : splits) {
            cursors.add(cursorFactory.apply(split));
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (BarCursor<SplitT> cursor : cursors) {
            cursor.close();
        }
    }
}
