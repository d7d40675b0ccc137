package io.barcast.connectors.replay;

/**
 * How far a replay got in one run of a file: a stretch whose bars are in time order, read from
 * where it stands to {@code end}. Its bars come out in groups of one time, each sorted by symbol;
 * the position is that of the group under way and how many of it were emitted.
 *
 * @param file index of the file in the split's files
 * @param offset byte offset where the group under way starts
 * @param line line number at {@code offset}
 * @param emitted records of that group already emitted
 * @param end byte offset where the next run starts; {@link Long#MAX_VALUE} for a file's last run
 */
public record ReplayRun(int file, long offset, long line, int emitted, long end) {

    /** A file's first run, before anything was read. */
    static ReplayRun fromStart(int file, long end) {
        return new ReplayRun(file, 0, 1, 0, end);
    }

    /** Whether everything of the run was emitted. */
    public boolean isFinished() {
        return offset >= end;
    }

    ReplayRun finished() {
        return new ReplayRun(file, end, line, 0, end);
    }
}
