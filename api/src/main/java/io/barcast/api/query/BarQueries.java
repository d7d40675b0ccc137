package io.barcast.api.query;

import io.barcast.api.http.Page;
import io.barcast.api.http.TimeCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A symbol's bars from the bars table, newest or oldest first, paged by bar time (unique within a
 * symbol, so the time alone is the keyset). Both orders walk the primary key (symbol, bar_time).
 */
public final class BarQueries {

    private static final String SELECT =
            "SELECT symbol, bar_time, open, high, low, close, volume, vwap, trades, updated_at"
                    + " FROM bars";

    private static final KnownSymbols KNOWN = new KnownSymbols("bars");

    private final DataSource db;

    public BarQueries(DataSource db) {
        this.db = db;
    }

    /**
     * The bars of {@code symbol} starting in [from, to) (each bound when not null), after the
     * cursor's bar in the order asked; a 404 naming {@code symbol} when it has no bars at all.
     *
     * @param oldestFirst ascending bar time when true, descending otherwise
     */
    public Page<BarRow> bars(
            String symbol,
            Instant from,
            Instant to,
            boolean oldestFirst,
            int limit,
            TimeCursor after)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            Conditions where =
                    new Conditions().equal("symbol", symbol).between("bar_time", from, to);
            if (after != null) {
                where.add(oldestFirst ? "bar_time > ?" : "bar_time < ?", after.time());
            }
            String order = oldestFirst ? " ORDER BY bar_time ASC" : " ORDER BY bar_time DESC";
            List<BarRow> rows = new ArrayList<>(Math.min(limit + 1, 64));
            try (PreparedStatement statement =
                    connection.prepareStatement(SELECT + where.sql() + order + " LIMIT ?")) {
                statement.setQueryTimeout(Database.QUERY_TIMEOUT_SECONDS);
                statement.setInt(where.bind(statement), limit + 1);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                }
            }
            if (rows.isEmpty()) {
                KNOWN.require(connection, "symbol", List.of(symbol));
            }
            if (rows.size() <= limit) {
                return new Page<>(List.copyOf(rows), null);
            }
            List<BarRow> items = List.copyOf(rows.subList(0, limit));
            return new Page<>(items, new TimeCursor(items.get(limit - 1).barTime()).encode());
        }
    }

    private static BarRow read(ResultSet rs) throws SQLException {
        long trades = rs.getLong("trades");
        boolean noTrades = rs.wasNull();
        return new BarRow(
                rs.getString("symbol"),
                Rows.instant(rs, "bar_time"),
                rs.getDouble("open"),
                rs.getDouble("high"),
                rs.getDouble("low"),
                rs.getDouble("close"),
                rs.getDouble("volume"),
                Rows.nullableDouble(rs, "vwap"),
                noTrades ? null : trades,
                Rows.instant(rs, "updated_at"));
    }
}
