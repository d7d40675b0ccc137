package io.barcast.api.export;

import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.Cursor;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code exports} table: asking for exports, claiming queued ones for this instance, leases,
 * progress, the end of each, and the clean-up of old ones. Every change of a running export names
 * its owner, so an instance that lost its lease changes nothing.
 */
final class ExportStore {

    /** Attempts after which an export whose instances keep dying fails instead. */
    static final int MAX_ATTEMPTS = 3;

    private static final String COLUMNS =
            "export_id, key_id, kind, format, compression, symbols, from_time, to_time, max_rows,"
                    + " state, rows_written, bytes, file_name, error, attempts, created_at,"
                    + " started_at, finished_at, expires_at";

    private final DataSource db;

    ExportStore(DataSource db) {
        this.db = db;
    }

    /**
     * Queues an export for {@code keyId}, unless the key already has {@code maxActive} queued or
     * running ones: then null. The count and the insert hold a lock on the key, so two requests at
     * once cannot both pass.
     */
    Export create(
            String keyId,
            ExportKind kind,
            ExportFormat format,
            ExportCompression compression,
            List<String> symbols,
            Instant from,
            Instant to,
            long maxRows,
            int maxActive)
            throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        connection.prepareStatement(
                                "SELECT pg_advisory_xact_lock(hashtext('barcast-exports:' || ?))")) {
                    lock.setString(1, keyId);
                    lock.execute();
                }
                try (PreparedStatement count =
                        connection.prepareStatement(
                                "SELECT count(*) FROM exports WHERE key_id = ?"
                                        + " AND state IN ('queued', 'running')")) {
                    count.setString(1, keyId);
                    try (ResultSet rows = count.executeQuery()) {
                        rows.next();
                        if (rows.getLong(1) >= maxActive) {
                            connection.rollback();
                            return null;
                        }
                    }
                }
                Export created;
                try (PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO exports (export_id, key_id, kind, format,"
                                        + " compression, symbols, from_time, to_time, max_rows,"
                                        + " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')"
                                        + " RETURNING "
                                        + COLUMNS)) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, keyId);
                    insert.setString(3, kind.label());
                    insert.setString(4, format.label());
                    insert.setString(5, compression.label());
                    insert.setArray(6, connection.createArrayOf("text", symbols.toArray()));
                    insert.setObject(7, from == null ? null : from.atOffset(ZoneOffset.UTC));
                    insert.setObject(8, to == null ? null : to.atOffset(ZoneOffset.UTC));
                    insert.setLong(9, maxRows);
                    try (ResultSet rows = insert.executeQuery()) {
                        rows.next();
                        created = read(rows);
                    }
                }
                connection.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The export, or null. */
    Export find(UUID id) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT " + COLUMNS + " FROM exports WHERE export_id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? read(rows) : null;
            }
        }
    }

    /**
     * Up to {@code limit} exports, newest first, after {@code after}: of {@code keyId}, or of every
     * key when it is null.
     */
    List<Export> list(String keyId, Cursor after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM exports WHERE true");
        if (keyId != null) {
            sql.append(" AND key_id = ?");
        }
        if (after != null) {
            sql.append(" AND (created_at, export_id) < (?, ?)");
        }
        sql.append(" ORDER BY created_at DESC, export_id DESC LIMIT ?");
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int i = 0;
            if (keyId != null) {
                select.setString(++i, keyId);
            }
            if (after != null) {
                select.setObject(++i, after.time().atOffset(ZoneOffset.UTC));
                select.setObject(++i, after.id());
            }
            select.setInt(++i, limit);
            List<Export> exports = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    exports.add(read(rows));
                }
            }
            return exports;
        }
    }

    /** Deletes the export's row; the deleted export, or null when there was none. */
    Export delete(UUID id) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement delete =
                        connection.prepareStatement(
                                "DELETE FROM exports WHERE export_id = ? RETURNING " + COLUMNS)) {
            delete.setObject(1, id);
            try (ResultSet rows = delete.executeQuery()) {
                return rows.next() ? read(rows) : null;
            }
        }
    }

    /**
     * Claims the oldest queued export for {@code owner} (skipping those another instance is
     * claiming at the same moment); null when none is queued.
     */
    Export claim(String owner, Duration lease) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement claim =
                        connection.prepareStatement(
                                "UPDATE exports SET state = 'running', owner = ?, lease_until ="
                                        + " now() + ? * interval '1 millisecond', started_at ="
                                        + " now(), attempts = attempts + 1, rows_written = 0"
                                        + " WHERE export_id = (SELECT export_id FROM exports"
                                        + " WHERE state = 'queued' ORDER BY created_at LIMIT 1"
                                        + " FOR UPDATE SKIP LOCKED) RETURNING "
                                        + COLUMNS)) {
            claim.setString(1, owner);
            claim.setLong(2, lease.toMillis());
            try (ResultSet rows = claim.executeQuery()) {
                return rows.next() ? read(rows) : null;
            }
        }
    }

    /**
     * Records progress and renews the lease; false when the export is no longer this owner's
     * (deleted, or its lease ran out and another instance took it).
     */
    boolean progress(UUID id, String owner, long rowsWritten, Duration lease) throws SQLException {
        return update(
                "UPDATE exports SET rows_written = ?, lease_until = now() + ? * interval '1"
                        + " millisecond' WHERE export_id = ? AND owner = ? AND state = 'running'",
                rowsWritten,
                lease.toMillis(),
                id,
                owner);
    }

    /** Marks it done; false when it is no longer this owner's. */
    boolean done(
            UUID id, String owner, long rows, long bytes, String fileName, Duration expireAfter)
            throws SQLException {
        return update(
                "UPDATE exports SET state = 'done', rows_written = ?, bytes = ?, file_name = ?,"
                        + " owner = NULL, lease_until = NULL, finished_at = now(), expires_at ="
                        + " now() + ? * interval '1 millisecond' WHERE export_id = ? AND owner = ?"
                        + " AND state = 'running'",
                rows,
                bytes,
                fileName,
                expireAfter.toMillis(),
                id,
                owner);
    }

    /** Marks it failed with {@code reason}; false when it is no longer this owner's. */
    boolean failed(UUID id, String owner, long rows, String reason, Duration expireAfter)
            throws SQLException {
        return update(
                "UPDATE exports SET state = 'failed', rows_written = ?, error = ?, owner = NULL,"
                        + " lease_until = NULL, finished_at = now(), expires_at = now() + ? *"
                        + " interval '1 millisecond' WHERE export_id = ? AND owner = ? AND state"
                        + " = 'running'",
                rows,
                reason,
                expireAfter.toMillis(),
                id,
                owner);
    }

    /** Puts it back in the queue (this instance is stopping); the attempt does not count. */
    boolean release(UUID id, String owner) throws SQLException {
        return update(
                "UPDATE exports SET state = 'queued', owner = NULL, lease_until = NULL,"
                        + " rows_written = 0, attempts = greatest(attempts - 1, 0) WHERE"
                        + " export_id = ? AND owner = ? AND state = 'running'",
                id,
                owner);
    }

    /**
     * Running exports whose lease ran out go back to the queue, or fail once they have been started
     * {@link #MAX_ATTEMPTS} times; returns how many.
     */
    int requeueExpiredLeases(Duration expireAfter) throws SQLException {
        return updateCount(
                "UPDATE exports SET state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'queued'"
                        + " END, error = CASE WHEN attempts >= ? THEN 'the instances writing it"
                        + " stopped ' || attempts || ' times' END, finished_at = CASE WHEN"
                        + " attempts >= ? THEN now() END, expires_at = CASE WHEN attempts >= ?"
                        + " THEN now() + ? * interval '1 millisecond' END, owner = NULL,"
                        + " lease_until = NULL, rows_written = 0 WHERE state = 'running' AND"
                        + " lease_until < now()",
                MAX_ATTEMPTS,
                MAX_ATTEMPTS,
                MAX_ATTEMPTS,
                MAX_ATTEMPTS,
                expireAfter.toMillis());
    }

    /** Done exports past their expiry become expired; returns them, for their files. */
    List<Export> expire() throws SQLException {
        try (Connection connection = connect();
                PreparedStatement update =
                        connection.prepareStatement(
                                "UPDATE exports SET state = 'expired' WHERE state = 'done' AND"
                                        + " expires_at <= now() RETURNING "
                                        + COLUMNS)) {
            List<Export> expired = new ArrayList<>();
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    expired.add(read(rows));
                }
            }
            return expired;
        }
    }

    /** Deletes the rows of exports expired or failed longer than {@code keep} ago. */
    int purge(Duration keep) throws SQLException {
        return updateCount(
                "DELETE FROM exports WHERE state IN ('expired', 'failed') AND expires_at < now()"
                        + " - ? * interval '1 millisecond'",
                keep.toMillis());
    }

    /**
     * Of the exports {@code ids}, the ones whose files must stay: a done one's file and the files
     * of a running one's current attempt, as their names.
     */
    List<String> liveFiles(List<UUID> ids) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM exports WHERE export_id = ANY (?) AND state IN"
                                        + " ('queued', 'running', 'done')")) {
            select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            List<String> names = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Export export = read(rows);
                    switch (export.state()) {
                        case DONE -> names.add(export.storedName());
                        case RUNNING -> names.add(export.partPrefix(export.attempts()));
                        default -> {}
                    }
                }
            }
            return names;
        }
    }

    private boolean update(String sql, Object... values) throws SQLException {
        return updateCount(sql, values) == 1;
    }

    private int updateCount(String sql, Object... values) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 1, values[i]);
            }
            return update.executeUpdate();
        }
    }

    private Connection connect() throws SQLException {
        try {
            return db.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw ApiProblem.unavailable("the database is not reachable; retry later");
        }
    }

    private static Export read(ResultSet rows) throws SQLException {
        Array symbols = rows.getArray("symbols");
        long bytes = rows.getLong("bytes");
        Long size = rows.wasNull() ? null : bytes;
        return new Export(
                rows.getObject("export_id", UUID.class),
                rows.getString("key_id"),
                ExportKind.of(rows.getString("kind")),
                ExportFormat.of(rows.getString("format")),
                ExportCompression.of(rows.getString("compression")),
                List.copyOf(Arrays.asList((String[]) symbols.getArray())),
                instant(rows, "from_time"),
                instant(rows, "to_time"),
                rows.getLong("max_rows"),
                Export.State.of(rows.getString("state")),
                rows.getLong("rows_written"),
                size,
                rows.getString("file_name"),
                rows.getString("error"),
                rows.getInt("attempts"),
                instant(rows, "created_at"),
                instant(rows, "started_at"),
                instant(rows, "finished_at"),
                instant(rows, "expires_at"));
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp time = rows.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }
}
