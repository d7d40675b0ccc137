package io.barcast.connectors.replay;

import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.BarFormats;
import io.barcast.core.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Map;

/**
 * Bar files of one bar per line: CSV under a header ({@code symbol,t,o,h,l,c,v[,vw,n]}) or JSON
 * objects. Blank lines are skipped; every other line is a record, parsed or not.
 */
final class LineRecords implements FileRecords {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final String origin;
    private final LineReader lines;
    private final LineParser parser;

    /** Parses one usable line. */
    private interface LineParser {
        Bar parse(String line);
    }

    private LineRecords(String origin, LineReader lines, LineParser parser) {
        this.origin = origin;
        this.lines = lines;
        this.parser = parser;
    }

    static FileRecords jsonLines(
            String origin, FileChannel channel, long offset, long line, int maxLineBytes) {
        BarFormats formats = new BarFormats(Json.newMapper());
        return new LineRecords(
                origin, reader(channel, offset, line, maxLineBytes), formats::parseJson);
    }

    /**
     * A CSV file read from {@code offset}; its header is read from line 1 wherever that is. A
     * header that cannot be used makes the whole file one record: the header line and why.
     */
    static FileRecords csv(
            String origin, FileChannel channel, long offset, long line, int maxLineBytes)
            throws IOException {
        LineReader.Line header = reader(channel, 0, 1, maxLineBytes).next();
        if (header == null) {
            return () -> null;
        }
        String problem = header.problem();
        Map<String, Integer> columns = null;
        if (problem == null) {
            try {
                columns = BarFormats.csvHeader(header.text());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            FileRecord unusable =
                    new FileRecord(
                            IncomingBar.unparsable(
                                    origin + ":1",
                                    header.text(),
                                    problem + "; the rest of the file is not read"),
                            0,
                            1,
                            header.bytes());
            return new FileRecords() {
                private boolean done = offset > 0;

                @Override
                public FileRecord next() {
                    if (done) {
                        return null;
                    }
                    done = true;
                    return unusable;
                }
            };
        }
        Map<String, Integer> header0 = columns;
        LineReader lines = reader(channel, offset, line, maxLineBytes);
        if (offset == 0) {
            lines.next();
        }
        return new LineRecords(origin, lines, text -> BarFormats.parseCsv(header0, text));
    }

    private static LineReader reader(
            FileChannel channel, long offset, long line, int maxLineBytes) {
        return new LineReader(
                new PositionedInput(channel, offset, BUFFER_BYTES), line, maxLineBytes);
    }

    @Override
    public FileRecord next() throws IOException {
        LineReader.Line line;
        do {
            line = lines.next();
        } while (line != null && line.isBlank());
        if (line == null) {
            return null;
        }
        String where = origin + ":" + line.number();
        IncomingBar incoming;
        if (line.problem() != null) {
            incoming = IncomingBar.unparsable(where, line.text(), line.problem());
        } else {
            try {
                incoming = IncomingBar.parsed(where, parser.parse(line.text()));
            } catch (IllegalArgumentException e) {
                incoming = IncomingBar.unparsable(where, line.text(), e.getMessage());
            }
        }
        return new FileRecord(incoming, line.offset(), line.number(), line.bytes());
    }
}
