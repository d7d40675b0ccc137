package io.barcast.connectors.replay;

import io.barcast.connectors.source.BarCursor;
import io.barcast.core.IncomingBar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Streams a replay split's files merged in event-time order (ties by symbol, then by position in
 * the input): every run of every file is read by its own {@link RunReader}, and a queue picks the
 * earliest head. A new split is first scanned for its runs ({@link RunScan}); a restored one knows
 * them and goes on from each run's position.
 */
final class ReplayCursor implements BarCursor<ReplaySplit> {

    /** Runs merged at once per file; see {@link RunScan} for a file with more. */
    static final int MAX_RUNS_PER_FILE = 1024;

    private static final Comparator<RunReader> BY_HEAD =
            Comparator.comparingLong((RunReader r) -> r.head().time())
                    .thenComparing(
                            r ->
                                    r.head().incoming().isParsed()
                                            ? r.head().incoming().bar().symbol()
                                            : "")
                    .thenComparingInt(r -> r.order);

    private final ReplaySplit split;
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<ReplayRun> runs;
    private final RunReader[] readers;
    private final PriorityQueue<RunReader> queue = new PriorityQueue<>(BY_HEAD);

    ReplayCursor(ReplaySplit split, ReadSettings settings) {
        this(split, settings, MAX_RUNS_PER_FILE);
    }

    ReplayCursor(ReplaySplit split, ReadSettings settings, int maxRunsPerFile) {
        this.split = split;
        try {
            for (String file : split.files()) {
                channels.add(FileChannel.open(Path.of(file), StandardOpenOption.READ));
            }
            runs = split.runs().isEmpty() ? scan(settings, maxRunsPerFile) : split.runs();
            readers = new RunReader[runs.size()];
            for (int i = 0; i < runs.size(); i++) {
                ReplayRun run = runs.get(i);
                if (run.isFinished()) {
                    continue;
                }
                Path file = Path.of(split.files().get(run.file()));
                FileChannel channel = channels.get(run.file());
                readers[i] =
                        new RunReader(
                                i,
                                file,
                                run,
                                FileRecords.open(
                                        file, channel, run.offset(), run.line(), settings));
                if (readers[i].head() != null) {
                    queue.add(readers[i]);
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot read bar files " + split.files(), e);
        }
        for (long i = 0; i < split.barsToSkip() && hasNext(); i++) {
            next();
        }
    }

    private List<ReplayRun> scan(ReadSettings settings, int maxRunsPerFile) throws IOException {
        List<ReplayRun> scanned = new ArrayList<>();
        for (int i = 0; i < split.files().size(); i++) {
            Path file = Path.of(split.files().get(i));
            scanned.addAll(
                    RunScan.of(
                            i,
                            file,
                            FileRecords.open(file, channels.get(i), 0, 1, settings),
                            maxRunsPerFile));
        }
        return scanned;
    }

    @Override
    public boolean hasNext() {
        return !queue.isEmpty();
    }

    @Override
    public long peekTime() {
        return queue.element().head().time();
    }

    @Override
    public IncomingBar next() {
        RunReader reader = queue.remove();
        IncomingBar next = reader.next().incoming();
        if (reader.head() != null) {
            queue.add(reader);
        }
        return next;
    }

    @Override
    public ReplaySplit snapshot() {
        List<ReplayRun> positions = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            positions.add(readers[i] == null ? runs.get(i) : readers[i].position());
        }
        return new ReplaySplit(split.splitId(), split.files(), positions, 0);
    }

    @Override
    public void close() {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // a read-only file: nothing was lost
            }
        }
    }
}
