package io.barcast.api.export;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one export's file: the rows of each of its kinds streamed from PostgreSQL (a cursor with a
 * fetch size, never the whole result in memory) into the format's {@link RowSink}, wrapped in gzip
 * or zip as asked. Memory stays bounded whatever the row count: a fetch of rows, the format's
 * buffers (a Parquet row group), nothing that grows with the export.
 */
final class ExportWriter {

    /** Told the running row count now and then; throws to stop the export. */
    @FunctionalInterface
    interface Progress {
        void rows(long written) throws Exception;
    }

    /** The export held more rows than its cap allows. */
    static final class TooManyRows extends Exception {
        TooManyRows(long cap) {
            super(
                    "the export holds more than "
                            + cap
                            + " rows, the most its key's tier may export; narrow it with"
                            + " symbols, from or to");
        }
    }

    /** How often {@link Progress} hears of the rows. */
    static final int PROGRESS_EVERY = 1_000;

    private static final int BUFFER = 1 << 16;

    private final Connection connection;
    private final Export export;
    private final Progress progress;
    private long rows;

    private ExportWriter(Connection connection, Export export, Progress progress) {
        this.connection = connection;
        this.export = export;
        this.progress = progress;
    }

    /**
     * Writes {@code export} to {@code target} (the folder's part file of this attempt; files of its
     * own next to it start with the same name); returns the rows written.
     */
    static long write(Connection connection, Export export, Path target, Progress progress)
            throws Exception {
        ExportWriter writer = new ExportWriter(connection, export, progress);
        boolean autoCommit = connection.getAutoCommit();
        // PostgreSQL streams a result by the fetch size only inside a transaction
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            writer.writeFile(target);
            connection.commit();
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(autoCommit);
        }
        return writer.rows;
    }

    private void writeFile(Path target) throws Exception {
        ExportFormat format = export.format();
        if (export.compression() == ExportCompression.ZIP) {
            try (ZipOutputStream zip =
                    new ZipOutputStream(
                            new BufferedOutputStream(Files.newOutputStream(target), BUFFER))) {
                for (ExportKind kind : export.kind().parts()) {
                    zip.putNextEntry(new ZipEntry(kind.label() + "." + format.extension()));
                    if (format == ExportFormat.PARQUET) {
                        // Parquet writes to a file it can seek in; copied in once complete
                        Path part =
                                target.resolveSibling(target.getFileName() + "." + kind.label());
                        try {
                            try (RowSink sink = new ParquetRowSink(part, kind.columns())) {
                                copyRows(kind, sink);
                            }
                            Files.copy(part, zip);
                        } finally {
                            Files.deleteIfExists(part);
                        }
                    } else {
                        try (RowSink sink = streamSink(new KeepOpen(zip), kind)) {
                            copyRows(kind, sink);
                        }
                    }
                    zip.closeEntry();
                }
            }
            return;
        }
        ExportKind kind = export.kind();
        if (format == ExportFormat.PARQUET) {
            try (RowSink sink = new ParquetRowSink(target, kind.columns())) {
                copyRows(kind, sink);
            }
            return;
        }
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), BUFFER);
        OutputStream out =
                export.compression() == ExportCompression.GZIP
                        ? new GZIPOutputStream(file, BUFFER)
                        : file;
        try (RowSink sink = streamSink(out, kind)) {
            copyRows(kind, sink);
        }
    }

    private RowSink streamSink(OutputStream out, ExportKind kind) throws IOException {
        return export.format() == ExportFormat.CSV
                ? new CsvRowSink(out, kind.columns())
                : new JsonLinesRowSink(out, kind.columns());
    }

    /** Streams the rows of {@code kind} that the export's filter selects into {@code sink}. */
    private void copyRows(ExportKind kind, RowSink sink) throws Exception {
        List<String> symbols = export.symbols();
        String sql = kind.select(!symbols.isEmpty(), export.from() != null, export.to() != null);
        long cap = export.maxRows();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(kind.fetchSize());
            int i = 0;
            if (!symbols.isEmpty()) {
                select.setArray(++i, connection.createArrayOf("text", symbols.toArray()));
            }
            if (export.from() != null) {
                select.setObject(++i, export.from().atOffset(ZoneOffset.UTC));
            }
            if (export.to() != null) {
                select.setObject(++i, export.to().atOffset(ZoneOffset.UTC));
            }
            // one row past the cap tells that the cap was passed, without reading further
            long left = cap - rows;
            select.setLong(++i, left == Long.MAX_VALUE ? left : left + 1);
            List<ExportColumn> columns = kind.columns();
            Object[] row = new Object[columns.size()];
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    if (rows >= cap) {
                        throw new TooManyRows(cap);
                    }
                    for (int c = 0; c < row.length; c++) {
                        row[c] = value(result, c + 1, columns.get(c).type());
                    }
                    sink.write(row);
                    rows++;
                    if (rows % PROGRESS_EVERY == 0) {
                        progress.rows(rows);
                    }
                }
            }
        }
    }

    private static Object value(ResultSet result, int index, ColumnType type) throws SQLException {
        Object value =
                switch (type) {
                    case TEXT, UUID, JSON -> result.getString(index);
                    case TIMESTAMP -> {
                        Timestamp time = result.getTimestamp(index);
                        yield time == null ? null : time.toInstant();
                    }
                    case DOUBLE -> result.getDouble(index);
                    case INTEGER -> result.getInt(index);
                    case BIGINT -> result.getLong(index);
                    case BOOLEAN -> result.getBoolean(index);
                    case TIMESTAMP_ARRAY -> {
                        Array array = result.getArray(index);
                        if (array == null) {
                            yield null;
                        }
                        Timestamp[] times = (Timestamp[]) array.getArray();
                        Instant[] instants = new Instant[times.length];
                        for (int i = 0; i < times.length; i++) {
                            instants[i] = times[i] == null ? null : times[i].toInstant();
                        }
                        yield instants;
                    }
                    case DOUBLE_ARRAY -> {
                        Array array = result.getArray(index);
                        yield array == null ? null : (Double[]) array.getArray();
                    }
                };
        return result.wasNull() ? null : value;
    }

    /** A zip entry's stream that a format's close does not close (the next entry follows). */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
