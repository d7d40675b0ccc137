package io.barcast.api.query;

import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads the trade_outcomes table: each trade, newest exit first, and per symbol and side how they
 * went. A symbol given must have outcomes (404 naming {@code symbols} otherwise).
 */
public final class TradeOutcomeQueries {

    private static final NewestFirst<TradeOutcomeRow> NEWEST_EXIT =
            new NewestFirst<>(
                    "SELECT recommendation_id, prediction_id, symbol, side, entry_time,"
                            + " entry_price, target_price, stop_loss, outcome, exit_time,"
                            + " exit_price, realized_return_percent, bars_held, written_at FROM"
                            + " trade_outcomes",
                    "exit_time",
                    "recommendation_id",
                    TradeOutcomeQueries::read,
                    o -> new Cursor(o.exitTime(), o.recommendationId()));

    /**
     * The trade_success view's figures, per side and over the outcomes the conditions keep (the
     * view cannot take a period: it aggregates before any WHERE a caller could add).
     */
    private static final String SUMMARY_SELECT =
            "SELECT symbol, side, count(*) AS trades,"
                    + " count(*) FILTER (WHERE outcome = 'target_hit') AS target_hit,"
                    + " count(*) FILTER (WHERE outcome = 'stop_hit') AS stop_hit,"
                    + " count(*) FILTER (WHERE outcome = 'expired') AS expired,"
                    + " count(*) FILTER (WHERE outcome = 'missed') AS missed,"
                    + " (avg((realized_return_percent > 0)::int) FILTER (WHERE outcome <>"
                    + " 'missed'))::double precision AS success_rate,"
                    + " avg(realized_return_percent) FILTER (WHERE outcome <> 'missed') AS"
                    + " mean_return_percent FROM trade_outcomes";

    private static final String SUMMARY_ORDER = " GROUP BY symbol, side ORDER BY symbol, side";

    private static final KnownSymbols KNOWN = new KnownSymbols("trade_outcomes");

    private final DataSource db;

    public TradeOutcomeQueries(DataSource db) {
        this.db = db;
    }

    /**
     * The outcomes whose exit time is in [from, to), newest exit first.
     *
     * @param symbols no filter when empty
     * @param side {@code long}, {@code short}, or null for both
     * @param outcome {@code target_hit}, {@code stop_hit}, {@code expired}, {@code missed}, or null
     */
    public Page<TradeOutcomeRow> outcomes(
            List<String> symbols,
            String side,
            String outcome,
            Instant from,
            Instant to,
            int limit,
            Cursor after)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            KNOWN.require(connection, "symbols", symbols);
            Conditions where =
                    new Conditions()
                            .symbols(symbols)
                            .equal("side", side)
                            .equal("outcome", outcome)
                            .between("exit_time", from, to);
            return NEWEST_EXIT.page(connection, where, limit, after);
        }
    }

    /** Per symbol and side, the outcomes whose exit time is in [from, to); by symbol, then side. */
    public List<TradeSummary> summary(List<String> symbols, Instant from, Instant to)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            KNOWN.require(connection, "symbols", symbols);
            Conditions where = new Conditions().symbols(symbols).between("exit_time", from, to);
            try (PreparedStatement statement =
                    connection.prepareStatement(SUMMARY_SELECT + where.sql() + SUMMARY_ORDER)) {
                statement.setQueryTimeout(Database.QUERY_TIMEOUT_SECONDS);
                where.bind(statement);
                List<TradeSummary> summaries = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        summaries.add(
                                new TradeSummary(
                                        rs.getString("symbol"),
                                        rs.getString("side"),
                                        rs.getLong("trades"),
                                        rs.getLong("target_hit"),
                                        rs.getLong("stop_hit"),
                                        rs.getLong("expired"),
                                        rs.getLong("missed"),
                                        Rows.nullableDouble(rs, "success_rate"),
                                        Rows.nullableDouble(rs, "mean_return_percent")));
                    }
                }
                return summaries;
            }
        }
    }

    private static TradeOutcomeRow read(ResultSet rs) throws SQLException {
        return new TradeOutcomeRow(
                Rows.uuid(rs, "recommendation_id"),
                Rows.uuid(rs, "prediction_id"),
                rs.getString("symbol"),
                rs.getString("side"),
                Rows.instant(rs, "entry_time"),
                rs.getDouble("entry_price"),
                rs.getDouble("target_price"),
                rs.getDouble("stop_loss"),
                rs.getString("outcome"),
                Rows.instant(rs, "exit_time"),
                rs.getDouble("exit_price"),
                rs.getDouble("realized_return_percent"),
                rs.getInt("bars_held"),
                Rows.instant(rs, "written_at"));
    }
}
