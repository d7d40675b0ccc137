package io.barcast.connectors.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads one run of a file: its records in file order, except that consecutive bars of one time come
 * out sorted by symbol (ties in file order). Such a group is held whole, up to {@link
 * #MAX_GROUP_RECORDS} records or {@link #MAX_GROUP_BYTES} of input; a longer stretch of one time is
 * sorted in pieces of that size. What cannot be parsed is a group of its own.
 */
final class RunReader {

    static final int MAX_GROUP_RECORDS = 1024;
    static final long MAX_GROUP_BYTES = 256 * 1024;

    private static final Comparator<FileRecord> BY_SYMBOL =
            Comparator.comparing(record -> record.incoming().bar().symbol());

    /** Where the run stands in the merge's tie-break: its file, then its place in the file. */
    final int order;

    private final Path file;
    private final ReplayRun start;
    private final FileRecords records;
    private final List<FileRecord> group = new ArrayList<>();
    private int emitted;
    private long groupOffset;
    private long groupLine;
    private FileRecord lookahead;

    RunReader(int order, Path file, ReplayRun start, FileRecords records) {
        this.order = order;
        this.file = file;
        this.start = start;
        this.records = records;
        this.lookahead = fetch();
        fillGroup();
        // a restored run re-forms the group it was in and skips what it had emitted of it
        emitted = Math.min(start.emitted(), group.size());
        if (emitted == group.size()) {
            fillGroup();
        }
    }

    /** The next record, or null when the run is done. */
    FileRecord head() {
        return group.isEmpty() ? null : group.get(emitted);
    }

    FileRecord next() {
        FileRecord record = group.get(emitted++);
        if (emitted == group.size()) {
            fillGroup();
        }
        return record;
    }

    /** Where the run stands: reading from here continues after the last record returned. */
    ReplayRun position() {
        if (group.isEmpty()) {
            return start.finished();
        }
        return new ReplayRun(start.file(), groupOffset, groupLine, emitted, start.end());
    }

    private void fillGroup() {
        group.clear();
        emitted = 0;
        if (lookahead == null) {
            return;
        }
        FileRecord first = lookahead;
        groupOffset = first.offset();
        groupLine = first.line();
        group.add(first);
        lookahead = fetch();
        if (!first.incoming().isParsed()) {
            return;
        }
        long bytes = first.bytes();
        while (lookahead != null
                && lookahead.incoming().isParsed()
                && lookahead.time() == first.time()
                && group.size() < MAX_GROUP_RECORDS
                && bytes + lookahead.bytes() <= MAX_GROUP_BYTES) {
            bytes += lookahead.bytes();
            group.add(lookahead);
            lookahead = fetch();
        }
        if (group.size() > 1) {
            group.sort(BY_SYMBOL);
        }
    }

    private FileRecord fetch() {
        try {
            FileRecord record = records.next();
            return record == null || record.offset() >= start.end() ? null : record;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bar file " + file, e);
        }
    }
}
