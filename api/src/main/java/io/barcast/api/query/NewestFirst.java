package io.barcast.api.query;

import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A listing newest first, paged by keyset: rows in descending order of a time and then of their
 * uuid, and the page after a {@link Cursor} holds the rows strictly before the cursor's (time, id).
 * Rows added meanwhile never shift a page, and each row is on exactly one page.
 *
 * @param <T> the row record
 */
final class NewestFirst<T> {

    private final String select;
    private final String order;
    private final String after;
    private final Rows.Reader<T> reader;
    private final Function<T, Cursor> cursorOf;

    /**
     * @param select {@code SELECT ... FROM table}, from code
     * @param time the time the rows are ordered by, from code; at millisecond precision, as the
     *     cursor keeps it
     * @param id the row's uuid column
     * @param reader the record of a row
     * @param cursorOf the cursor after a record: its time and its id
     */
    NewestFirst(
            String select,
            String time,
            String id,
            Rows.Reader<T> reader,
            Function<T, Cursor> cursorOf) {
        this.select = select;
        this.order = " ORDER BY " + time + " DESC, " + id + " DESC LIMIT ?";
        this.after = "(" + time + ", " + id + ") < (?, ?)";
        this.reader = reader;
        this.cursorOf = cursorOf;
    }

    /** The page of at most {@code limit} rows matching {@code where}, after {@code cursor}. */
    Page<T> page(Connection connection, Conditions where, int limit, Cursor cursor)
            throws SQLException {
        if (cursor != null) {
            where.add(after, cursor.time(), cursor.id());
        }
        try (PreparedStatement statement =
                connection.prepareStatement(select + where.sql() + order)) {
            statement.setQueryTimeout(Database.QUERY_TIMEOUT_SECONDS);
            int next = where.bind(statement);
            statement.setInt(next, limit + 1);
            List<T> rows = new ArrayList<>(Math.min(limit + 1, 64));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return Page.of(rows, limit, cursorOf);
        }
    }
}
