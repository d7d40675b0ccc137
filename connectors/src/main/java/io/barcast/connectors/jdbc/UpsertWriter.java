package io.barcast.connectors.jdbc;

import io.barcast.core.SafeText;
import io.barcast.core.Secrets;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of an {@link UpsertSink}: buffers records and writes them as one JDBC batch when the
 * buffer is full, when a processing-time timer {@code batchInterval} after its first record fires,
 * and on {@link #flush} (before every checkpoint, and at the end of input). A failed batch is
 * either an outage, retried on a fresh connection with backoff and then thrown, or a refusal: the
 * batch is written again row by row and each row that still fails is handed to {@link RefusedRows}.
 * Metrics: {@code sinkRefusedRows}, the rows set aside, and {@code sinkOutageRetries}, the batches
 * tried again after an outage. No state: the buffer is empty at every checkpoint.
 */
final class UpsertWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(UpsertWriter.class);

    /** Tries of one batch in a row before an outage fails the job. */
    static final int MAX_ATTEMPTS = 4;

    private static final long FIRST_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final int VALIDITY_CHECK_SECONDS = 5;

    private final String table;
    private final String sql;
    private final String safeUrl;
    private final JdbcStatementBuilder<T> binder;
    private final RefusedRows<T> refusedRows;
    private final JdbcConnectionProvider connections;
    private final ProcessingTimeService time;
    private final int batchSize;
    private final long batchIntervalMillis;
    private final TypeSerializer<T> copier;
    private final Counter refusedRowCount;
    private final Counter outageRetryCount;
    private final Counter writtenRowCount;

    private final List<T> buffer = new ArrayList<>();
    private boolean timerPending;
    private boolean closed;

    UpsertWriter(
            WriterInitContext context,
            JdbcSinks.Database database,
            String table,
            String sql,
            JdbcStatementBuilder<T> binder,
            RefusedRows<T> refusedRows) {
        this.table = table;
        this.sql = sql;
        this.safeUrl = database.safeUrl();
        this.binder = binder;
        this.refusedRows = refusedRows;
        this.connections = new SimpleJdbcConnectionProvider(database.connection());
        this.time = context.getProcessingTimeService();
        this.batchSize = Math.max(1, database.batchSize());
        this.batchIntervalMillis = database.batchInterval().toMillis();
        // buffered records must not change under us when the job reuses objects
        this.copier = context.isObjectReuseEnabled() ? context.createInputSerializer() : null;
        this.refusedRowCount = context.metricGroup().counter("sinkRefusedRows");
        this.outageRetryCount = context.metricGroup().counter("sinkOutageRetries");
        this.writtenRowCount = context.metricGroup().getNumRecordsSendCounter();
        refusedRows.open();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        buffer.add(copier == null ? element : copier.copy(element));
        if (buffer.size() >= batchSize) {
            writeBuffer();
        } else if (!timerPending && batchIntervalMillis > 0) {
            timerPending = true;
            time.registerTimer(
                    time.getCurrentProcessingTime() + batchIntervalMillis,
                    firedAt -> {
                        timerPending = false;
                        if (!closed) {
                            writeBuffer();
                        }
                    });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBuffer();
    }

    /**
     * Closes the connection and never throws: Flink 2 closes a failed task's writers inside its
     * failure handler, where an exception is fatal to the whole TaskManager (a lost database would
     * take the task slots with it and the job could not restart). Rows still buffered were in no
     * checkpoint and are written again after the restore.
     */
    @Override
    public void close() {
        closed = true;
        try {
            connections.closeConnection();
        } catch (RuntimeException | AssertionError e) {
            // pgjdbc asserts on a connection the server already closed
            LOG.warn("Closing the connection of table {} failed: {}", table, e.toString());
        }
    }

    /** Writes the buffer; returns when every record is in its table or set aside. */
    private void writeBuffer() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                write(buffer);
                buffer.clear();
                return;
            } catch (SQLException e) {
                SqlFailure failure = SqlFailure.of(e, true);
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IOException(
                            "PostgreSQL at "
                                    + safeUrl
                                    + " did not take "
                                    + buffer.size()
                                    + " rows of table "
                                    + table
                                    + " in "
                                    + attempt
                                    + " tries: "
                                    + failure.describe(),
                            withoutSecrets(e));
                }
                long wait = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (attempt - 1));
                LOG.warn(
                        "PostgreSQL at {} did not take {} rows of table {} ({}); try {} of {} in"
                                + " {} ms on a fresh connection",
                        safeUrl,
                        buffer.size(),
                        table,
                        failure.describe(),
                        attempt + 1,
                        MAX_ATTEMPTS,
                        wait);
                outageRetryCount.inc();
                Thread.sleep(wait);
                connections.closeConnection();
            }
        }
    }

    /**
     * Writes the records as one batch; when PostgreSQL refuses the batch, writes them again one by
     * one, because pgjdbc runs a batch as one implicit transaction and so rolled the good rows back
     * too, and sets each row it refuses again aside.
     *
     * @throws SQLException on an outage: the whole write is to be tried again (the upserts are
     *     idempotent, so rows written before it are written again unchanged)
     */
    private void write(List<T> records) throws SQLException, IOException {
        Connection connection = connection();
        List<T> bound = new ArrayList<>(records.size());
        List<Refusal<T>> refused = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T record : records) {
                String unbindable = bind(connection, statement, record);
                if (unbindable == null) {
                    statement.addBatch();
                    bound.add(record);
                } else {
                    refused.add(Refusal.unbindable(record, table, unbindable));
                }
            }
            try {
                statement.executeBatch();
                writtenRowCount.inc(bound.size());
            } catch (SQLException batchError) {
                SqlFailure failure = SqlFailure.of(batchError, isValid(connection));
                if (failure.retryable()) {
                    throw batchError;
                }
                statement.clearBatch();
                for (T record : bound) {
                    writeOne(connection, statement, record, refused);
                }
            }
        }
        for (Refusal<T> refusal : refused) {
            String keptIn =
                    refusedRows.setAside(
                            connection, refusal.record(), refusal.failure(), refusal.reason());
            refusedRowCount.inc();
            LOG.warn(
                    "Set aside a row of table {} in {}: {}",
                    table,
                    keptIn,
                    SafeText.cap(refusal.failure().describe(), 500));
        }
    }

    private void writeOne(
            Connection connection, PreparedStatement statement, T record, List<Refusal<T>> refused)
            throws SQLException {
        try {
            statement.clearParameters();
            binder.accept(statement, record);
            statement.executeUpdate();
            writtenRowCount.inc();
        } catch (SQLException e) {
            SqlFailure failure = SqlFailure.of(e, isValid(connection));
            if (failure.retryable()) {
                throw e;
            }
            refused.add(Refusal.refused(record, table, failure));
        }
    }

    /**
     * Sets the statement's parameters from the record.
     *
     * @return null when bound, else why the record cannot be bound (a value no column takes, such
     *     as an id that is not a UUID)
     */
    private String bind(Connection connection, PreparedStatement statement, T record)
            throws SQLException {
        try {
            statement.clearParameters();
            binder.accept(statement, record);
            return null;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (SQLException e) {
            SqlFailure failure = SqlFailure.of(e, isValid(connection));
            if (failure.retryable()) {
                throw e;
            }
            return failure.describe();
        }
    }

    private Connection connection() throws SQLException, IOException {
        try {
            return connections.getOrEstablishConnection();
        } catch (ClassNotFoundException e) {
            throw new IOException("The PostgreSQL driver is not on the classpath", e);
        } catch (SQLException e) {
            throw withoutSecrets(e);
        }
    }

    /** Whether the connection still answers; an error after which it does not is an outage. */
    static boolean isValid(Connection connection) {
        try {
            return !connection.isClosed() && connection.isValid(VALIDITY_CHECK_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The error with any password in a JDBC URL masked (the connection provider quotes the URL),
     * keeping its SQLState and stack trace.
     */
    private static SQLException withoutSecrets(SQLException e) {
        SQLException masked =
                new SQLException(
                        Secrets.maskUrlPasswords(String.valueOf(e.getMessage())),
                        e.getSQLState(),
                        e.getErrorCode());
        masked.setStackTrace(e.getStackTrace());
        if (e.getNextException() != null) {
            masked.setNextException(withoutSecrets(e.getNextException()));
        }
        return masked;
    }

    /**
     * A record PostgreSQL refused, or that could not be bound, with the reason for its dead letter.
     */
    private record Refusal<T>(T record, SqlFailure failure, String reason) {

        static <T> Refusal<T> refused(T record, String table, SqlFailure failure) {
            return new Refusal<>(
                    record,
                    failure,
                    "PostgreSQL refused this row of table " + table + ": " + failure.describe());
        }

        static <T> Refusal<T> unbindable(T record, String table, String why) {
            SqlFailure failure = new SqlFailure(null, why, false);
            return new Refusal<>(
                    record,
                    failure,
                    "This row of table " + table + " could not be bound for PostgreSQL: " + why);
        }
    }
}
