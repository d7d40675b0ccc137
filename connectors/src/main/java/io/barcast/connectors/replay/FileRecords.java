package io.barcast.connectors.replay;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;

/** The records of one bar file from a position on, in file order, one at a time. */
interface FileRecords {

    /** The next record, or null at the end of the file. */
    FileRecord next() throws IOException;

    /**
     * The records of {@code file} (open as {@code channel}) from the record starting at byte {@code
     * offset}, which is on line {@code line}; bars outside the settings' window are left out.
     */
    static FileRecords open(
            Path file, FileChannel channel, long offset, long line, ReadSettings settings)
            throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String origin = "replay:" + file.getFileName();
        FileRecords records;
        if (name.endsWith(".csv")) {
            records = LineRecords.csv(origin, channel, offset, line, settings.maxLineBytes());
        } else if (name.endsWith(".json") && AggregateRecords.isAggregatesResponse(channel)) {
            records = new AggregateRecords(origin, channel, offset);
        } else {
            records = LineRecords.jsonLines(origin, channel, offset, line, settings.maxLineBytes());
        }
        return () -> {
            FileRecord next;
            do {
                next = records.next();
            } while (next != null && !settings.keeps(next.incoming()));
            return next;
        };
    }
}
