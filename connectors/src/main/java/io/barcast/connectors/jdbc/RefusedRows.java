package io.barcast.connectors.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.DeadLetter;
import io.barcast.core.SafeText;
import io.barcast.core.json.Json;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Where the rows a table refused go: a dead letter in {@code dead_letters} with the server's error,
 * or, when the refused row is a dead letter or its dead letter is refused too, a row in {@code
 * sink_failures}. Both inserts are idempotent (deterministic ids), so a replay after a restore
 * leaves one row per refusal.
 */
final class RefusedRows<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String DEAD_LETTERS = "dead_letters";
    static final String SINK_FAILURES = "sink_failures";

    /** The table name, SQLState and error of a sink_failures row, each capped to these. */
    static final int MAX_NAME_CHARS = 200;

    static final int MAX_STATE_CHARS = 5;

    static final String INSERT_SINK_FAILURE =
            """
            INSERT INTO sink_failures (failure_id, table_name, sql_state, error, payload)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (failure_id) DO NOTHING
            """;

    private final String table;
    private final SerializableFunction<T, String> symbolOf;
    private final SerializableFunction<T, Long> eventTimeOf;

    private transient ObjectMapper mapper;

    RefusedRows(
            String table,
            SerializableFunction<T, String> symbolOf,
            SerializableFunction<T, Long> eventTimeOf) {
        this.table = table;
        this.symbolOf = symbolOf;
        this.eventTimeOf = eventTimeOf;
    }

    void open() {
        mapper = Json.newMapper();
    }

    /**
     * Keeps a refused record with the reason it was refused.
     *
     * @param failure why the table refused it
     * @return the table it was kept in
     * @throws SQLException when PostgreSQL is out (a retryable failure): the caller retries
     * @throws IOException when neither a dead letter nor a sink failure could be written
     */
    String setAside(Connection connection, T record, SqlFailure failure, String reason)
            throws SQLException, IOException {
        String payload = json(record);
        if (!(record instanceof DeadLetter)) {
            DeadLetter letter =
                    DeadLetter.of(
                            symbolOrEmpty(record), "sink", reason, eventTimeOf(record), payload);
            try (PreparedStatement insert =
                    connection.prepareStatement(JdbcSinks.INSERT_DEAD_LETTER)) {
                JdbcSinks.bindDeadLetter(insert, letter);
                insert.executeUpdate();
                return DEAD_LETTERS;
            } catch (SQLException e) {
                SqlFailure refusal = SqlFailure.of(e, UpsertWriter.isValid(connection));
                if (refusal.retryable()) {
                    throw e;
                }
                recordFailure(connection, DEAD_LETTERS, refusal, json(letter));
                return SINK_FAILURES;
            }
        }
        recordFailure(connection, table, failure, payload);
        return SINK_FAILURES;
    }

    private void recordFailure(
            Connection connection, String refusingTable, SqlFailure failure, String payload)
            throws SQLException, IOException {
        String name = SafeText.cap(refusingTable, MAX_NAME_CHARS);
        String state =
                failure.sqlState() == null
                        ? null
                        : SafeText.cap(failure.sqlState(), MAX_STATE_CHARS);
        String error = SafeText.cap(failure.message(), DeadLetter.MAX_REASON_CHARS);
        String body = SafeText.cap(payload, DeadLetter.MAX_PAYLOAD_CHARS);
        String key = String.join("\u0000", name, String.valueOf(state), error, body);
        UUID id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SINK_FAILURE)) {
            insert.setObject(1, id);
            insert.setString(2, name);
            insert.setString(3, state);
            insert.setString(4, error);
            insert.setString(5, body);
            insert.executeUpdate();
        } catch (SQLException e) {
            SqlFailure refusal = SqlFailure.of(e, UpsertWriter.isValid(connection));
            if (refusal.retryable()) {
                throw e;
            }
            throw new IOException(
                    "PostgreSQL refused a row of table "
                            + name
                            + " ("
                            + failure.describe()
                            + ") and refused to keep it in "
                            + SINK_FAILURES
                            + " too ("
                            + refusal.describe()
                            + "); the job stops rather than drop it. Is the "
                            + SINK_FAILURES
                            + " table there (migration V5)?");
        }
    }

    private String symbolOrEmpty(T record) {
        try {
            String symbol = symbolOf.apply(record);
            return symbol == null ? "" : symbol;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private long eventTimeOf(T record) {
        try {
            Long time = eventTimeOf.apply(record);
            return time == null ? 0 : time;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The record as JSON, or as its string form when it cannot be written as JSON. */
    private String json(Object record) {
        try {
            return mapper.writeValueAsString(record);
        } catch (JsonProcessingException | RuntimeException e) {
            return String.valueOf(record);
        }
    }
}
