package io.barcast.api.query;

import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads the recommendations table: the active trades, and every recommendation of a symbol, newest
 * created first.
 */
public final class RecommendationQueries {

    private static final NewestFirst<RecommendationRow> NEWEST_CREATED =
            new NewestFirst<>(
                    "SELECT recommendation_id, prediction_id, symbol, as_of, side, entry_time,"
                            + " entry_price, exit_time, target_price, stop_loss,"
                            + " expected_return_percent, risk_reward, confidence, model_version,"
                            + " status, superseded_by, created_at, updated_at FROM recommendations",
                    "created_at",
                    "recommendation_id",
                    RecommendationQueries::read,
                    r -> new Cursor(r.createdAt(), r.recommendationId()));

    private static final KnownSymbols KNOWN = new KnownSymbols("recommendations");

    private final DataSource db;

    public RecommendationQueries(DataSource db) {
        this.db = db;
    }

    /**
     * The active recommendations, optionally of some symbols only, of one side, of at least a
     * confidence.
     *
     * @param symbols no filter when empty; each must have recommendations (404 naming {@code
     *     symbols} otherwise)
     * @param side {@code long}, {@code short}, or null for both
     * @param minConfidence the lowest confidence, or null
     */
    public Page<RecommendationRow> active(
            List<String> symbols, String side, Double minConfidence, int limit, Cursor after)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            KNOWN.require(connection, "symbols", symbols);
            // written out, not bound, so that the partial index recommendations_active applies
            Conditions where =
                    new Conditions().add("status = 'active'").symbols(symbols).equal("side", side);
            if (minConfidence != null) {
                where.add("confidence >= ?", minConfidence);
            }
            return NEWEST_CREATED.page(connection, where, limit, after);
        }
    }

    /**
     * The recommendations of {@code symbol} (404 naming {@code symbol} when it has none).
     *
     * @param status {@code active}, {@code superseded}, {@code expired}, or null for all
     */
    public Page<RecommendationRow> ofSymbol(String symbol, String status, int limit, Cursor after)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            KNOWN.require(connection, "symbol", List.of(symbol));
            Conditions where = new Conditions().equal("symbol", symbol).equal("status", status);
            return NEWEST_CREATED.page(connection, where, limit, after);
        }
    }

    private static RecommendationRow read(ResultSet rs) throws SQLException {
        return new RecommendationRow(
                Rows.uuid(rs, "recommendation_id"),
                Rows.uuid(rs, "prediction_id"),
                rs.getString("symbol"),
                Rows.instant(rs, "as_of"),
                rs.getString("side"),
                Rows.instant(rs, "entry_time"),
                rs.getDouble("entry_price"),
                Rows.instant(rs, "exit_time"),
                rs.getDouble("target_price"),
                rs.getDouble("stop_loss"),
                rs.getDouble("expected_return_percent"),
                rs.getDouble("risk_reward"),
                rs.getDouble("confidence"),
                rs.getString("model_version"),
                rs.getString("status"),
                Rows.uuid(rs, "superseded_by"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
