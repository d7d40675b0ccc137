package io.barcast.api.query;

import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Reads the dead_letters table, newest first seen first. A symbol filter is only a filter (a symbol
 * without dead letters is a healthy one), as for alerts.
 */
public final class DeadLetterQueries {

    /**
     * first_seen_at comes from the database clock, in microseconds; the cursor keeps milliseconds,
     * so the order and the keyset use the time cut to milliseconds (then the id), or rows within
     * one millisecond of a page's last row could be skipped.
     */
    private static final NewestFirst<DeadLetterRow> NEWEST_SEEN =
            new NewestFirst<>(
                    "SELECT dead_letter_id, symbol, stage, reason, event_time, payload,"
                            + " first_seen_at FROM dead_letters",
                    "date_trunc('milliseconds', first_seen_at)",
                    "dead_letter_id",
                    DeadLetterQueries::read,
                    d -> new Cursor(d.firstSeenAt(), d.deadLetterId()));

    private final DataSource db;

    public DeadLetterQueries(DataSource db) {
        this.db = db;
    }

    /**
     * The dead letters first seen at or after {@code since}; each filter null for none.
     *
     * @param stage one of {@link io.barcast.core.DeadLetter#STAGES}
     */
    public Page<DeadLetterRow> deadLetters(
            Instant since, String stage, String symbol, int limit, Cursor after)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            Conditions where =
                    new Conditions()
                            .between("first_seen_at", since, null)
                            .equal("stage", stage)
                            .equal("symbol", symbol);
            return NEWEST_SEEN.page(connection, where, limit, after);
        }
    }

    private static DeadLetterRow read(ResultSet rs) throws SQLException {
        return new DeadLetterRow(
                Rows.uuid(rs, "dead_letter_id"),
                rs.getString("symbol"),
                rs.getString("stage"),
                rs.getString("reason"),
                Rows.instant(rs, "event_time"),
                rs.getString("payload"),
                Rows.instant(rs, "first_seen_at"));
    }
}
