package io.barcast.api.export;

import java.io.IOException;

/**
 * Where an export's rows go, one at a time, in one format. A row holds a value per column of the
 * kind, typed as {@link ColumnType} says (null for SQL NULL). {@link #close()} finishes the format
 * (a Parquet footer) and closes what it writes to.
 */
interface RowSink extends AutoCloseable {

    void write(Object[] row) throws IOException;

    @Override
    void close() throws IOException;
}
