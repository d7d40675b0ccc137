package io.barcast.api.query;

import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import io.barcast.core.Accuracy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Reads the validations table: a symbol's checked forecast points, newest target bar first. */
public final class ValidationQueries {

    private static final NewestFirst<ValidationRow> NEWEST_TARGET =
            new NewestFirst<>(
                    "SELECT validation_id, prediction_id, symbol, as_of, target_time,"
                            + " horizon_bars, last_close, predicted, actual, error_percent,"
                            + " naive_error_percent, direction_right, inside_band, band_lower,"
                            + " band_upper, written_at FROM validations",
                    "target_time",
                    "validation_id",
                    ValidationQueries::read,
                    v -> new Cursor(v.targetTime(), v.validationId()));

    private static final KnownSymbols KNOWN = new KnownSymbols("validations");

    private final DataSource db;

    public ValidationQueries(DataSource db) {
        this.db = db;
    }

    /**
     * The validations of {@code symbol} whose target time is in [from, to) (404 naming {@code
     * symbol} when it has none at all).
     */
    public Page<ValidationRow> ofSymbol(
            String symbol, Instant from, Instant to, int limit, Cursor after) throws SQLException {
        try (Connection connection = Database.connect(db)) {
            KNOWN.require(connection, "symbol", List.of(symbol));
            Conditions where =
                    new Conditions().equal("symbol", symbol).between("target_time", from, to);
            return NEWEST_TARGET.page(connection, where, limit, after);
        }
    }

    private static ValidationRow read(ResultSet rs) throws SQLException {
        int horizonBars = rs.getInt("horizon_bars");
        return new ValidationRow(
                Rows.uuid(rs, "validation_id"),
                Rows.uuid(rs, "prediction_id"),
                rs.getString("symbol"),
                Rows.instant(rs, "as_of"),
                Rows.instant(rs, "target_time"),
                horizonBars,
                Accuracy.bucketOf(horizonBars),
                rs.getDouble("last_close"),
                rs.getDouble("predicted"),
                rs.getDouble("actual"),
                rs.getDouble("error_percent"),
                rs.getDouble("naive_error_percent"),
                Rows.nullableBoolean(rs, "direction_right"),
                rs.getBoolean("inside_band"),
                rs.getDouble("band_lower"),
                rs.getDouble("band_upper"),
                Rows.instant(rs, "written_at"));
    }
}
