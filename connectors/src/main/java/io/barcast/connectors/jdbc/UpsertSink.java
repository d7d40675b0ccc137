package io.barcast.connectors.jdbc;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes records to one PostgreSQL table with an idempotent upsert, in batches, at least once: a
 * batch is written when it is full, when it is {@code batchInterval} old, and before every
 * checkpoint.
 *
 * <p>A row PostgreSQL refuses for good is set aside, alone, and everything else flows on: it
 * becomes a dead letter (stage {@code sink}) with the server's error, or, when it is a dead letter
 * itself or its dead letter is refused too, a row of {@code sink_failures}; only when that fails as
 * well does the job fail. Outages (see {@link SqlFailure}) are retried on a fresh connection and
 * then fail the job, whose restart strategy takes over; replaying the upserts after a restore is
 * safe.
 *
 * @param <T> the record type
 */
public final class UpsertSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final JdbcSinks.Database database;
    private final String table;
    private final String sql;
    private final JdbcStatementBuilder<T> binder;
    private final SerializableFunction<T, String> symbolOf;
    private final SerializableFunction<T, Long> eventTimeOf;

    /**
     * @param table the table {@code sql} writes, named in dead letters
     * @param binder sets the statement's parameters from a record
     * @param symbolOf the symbol a dead letter of a record names
     * @param eventTimeOf the event time (epoch ms) a dead letter of a record names, 0 when none
     */
    UpsertSink(
            JdbcSinks.Database database,
            String table,
            String sql,
            JdbcStatementBuilder<T> binder,
            SerializableFunction<T, String> symbolOf,
            SerializableFunction<T, Long> eventTimeOf) {
        this.database = database;
        this.table = table;
        this.sql = sql;
        this.binder = binder;
        this.symbolOf = symbolOf;
        this.eventTimeOf = eventTimeOf;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new UpsertWriter<>(
                context,
                database,
                table,
                sql,
                binder,
                new RefusedRows<>(table, symbolOf, eventTimeOf));
    }

    /** The table this sink writes. */
    public String table() {
        return table;
    }
}
