package io.barcast.api.query;

import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Reads the alerts table, newest raised first. A symbol filter is only a filter: a symbol without
 * alerts has simply had no problems, so it gets an empty list, not a 404.
 */
public final class AlertQueries {

    private static final NewestFirst<AlertRow> NEWEST_RAISED =
            new NewestFirst<>(
                    "SELECT alert_id, severity, category, symbol, message, raised_at, written_at"
                            + " FROM alerts",
                    "raised_at",
                    "alert_id",
                    AlertQueries::read,
                    a -> new Cursor(a.raisedAt(), a.alertId()));

    private final DataSource db;

    public AlertQueries(DataSource db) {
        this.db = db;
    }

    /**
     * The alerts raised at or after {@code since}; each filter null for none.
     *
     * @param category one of {@link io.barcast.core.Alert#CATEGORIES}
     * @param severity one of {@link io.barcast.core.Alert#SEVERITIES}
     */
    public Page<AlertRow> alerts(
            Instant since, String category, String severity, String symbol, int limit, Cursor after)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            Conditions where =
                    new Conditions()
                            .between("raised_at", since, null)
                            .equal("category", category)
                            .equal("severity", severity)
                            .equal("symbol", symbol);
            return NEWEST_RAISED.page(connection, where, limit, after);
        }
    }

    private static AlertRow read(ResultSet rs) throws SQLException {
        return new AlertRow(
                Rows.uuid(rs, "alert_id"),
                rs.getString("severity"),
                rs.getString("category"),
                rs.getString("symbol"),
                rs.getString("message"),
                Rows.instant(rs, "raised_at"),
                Rows.instant(rs, "written_at"));
    }
}
