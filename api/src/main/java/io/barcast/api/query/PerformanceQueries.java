package io.barcast.api.query;

import io.barcast.core.Accuracy;
import io.barcast.core.AccuracyTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Forecast accuracy per symbol and horizon over a period, from the validations table (target time
 * in [from, to)), computed as the job computes its rolling accuracy: PostgreSQL sums the errors per
 * model step, and the steps go into the buckets of {@link Accuracy#bucketOf} and into {@code all}
 * through {@link AccuracyTotals}, the same code the job's figures come from. A bucket without
 * points has no figures.
 */
public final class PerformanceQueries {

    /** The sums {@link AccuracyTotals#of} takes, per step. */
    private static final String STEP_TOTALS =
            " horizon_bars, count(*) AS points, sum(abs(error_percent)) AS abs_error,"
                    + " sum(error_percent * error_percent) AS squared_error,"
                    + " sum(abs(naive_error_percent)) AS naive_abs_error,"
                    + " sum(naive_error_percent * naive_error_percent) AS naive_squared_error,"
                    + " count(direction_right) AS moved,"
                    + " count(*) FILTER (WHERE direction_right) AS moved_right,"
                    + " count(*) FILTER (WHERE inside_band) AS inside FROM validations";

    private static final String BY_SYMBOL = "SELECT symbol," + STEP_TOTALS;
    private static final String BY_SYMBOL_GROUPS =
            " GROUP BY symbol, horizon_bars ORDER BY symbol, horizon_bars";

    private static final String BY_DAY =
            "SELECT (target_time AT TIME ZONE 'UTC')::date AS day," + STEP_TOTALS;
    private static final String BY_DAY_GROUPS =
            " GROUP BY day, horizon_bars ORDER BY day DESC, horizon_bars";

    private static final KnownSymbols KNOWN = new KnownSymbols("validations");

    private final DataSource db;

    public PerformanceQueries(DataSource db) {
        this.db = db;
    }

    /**
     * Per symbol (by name) and horizon (shortest first, then {@code all}).
     *
     * @param symbols every symbol with validations when empty; else each must have some (404 naming
     *     {@code symbols} otherwise)
     * @param horizon one of {@link Accuracy#HORIZONS}, or null for each
     */
    public List<Performance> bySymbol(
            List<String> symbols, String horizon, Instant from, Instant to) throws SQLException {
        try (Connection connection = Database.connect(db)) {
            KNOWN.require(connection, "symbols", symbols);
            Conditions where = new Conditions().symbols(symbols).between("target_time", from, to);
            List<Performance> items = new ArrayList<>();
            figuresBy(
                            connection,
                            BY_SYMBOL + where.sql() + BY_SYMBOL_GROUPS,
                            where,
                            rs -> rs.getString("symbol"),
                            horizon)
                    .forEach(
                            (symbol, figures) ->
                                    figures.forEach(
                                            (h, f) -> items.add(new Performance(symbol, h, f))));
            return items;
        }
    }

    /**
     * Per UTC day of the target bar (newest first) and horizon, of one symbol (404 naming {@code
     * symbol} when it has no validations).
     */
    public List<DailyPerformance> daily(String symbol, String horizon, Instant from, Instant to)
            throws SQLException {
        try (Connection connection = Database.connect(db)) {
            KNOWN.require(connection, "symbol", List.of(symbol));
            Conditions where =
                    new Conditions().equal("symbol", symbol).between("target_time", from, to);
            List<DailyPerformance> items = new ArrayList<>();
            figuresBy(
                            connection,
                            BY_DAY + where.sql() + BY_DAY_GROUPS,
                            where,
                            rs -> rs.getObject("day", LocalDate.class),
                            horizon)
                    .forEach(
                            (day, figures) ->
                                    figures.forEach(
                                            (h, f) -> items.add(new DailyPerformance(day, h, f))));
            return items;
        }
    }

    /**
     * Runs {@code sql} (step totals per key and model step, in the key's order) and returns per key
     * the figures of each horizon, or of {@code only} when it is not null.
     */
    private static <K> Map<K, Map<String, AccuracyFigures>> figuresBy(
            Connection connection, String sql, Conditions where, Rows.Reader<K> keyOf, String only)
            throws SQLException {
        Map<K, Map<String, AccuracyTotals>> buckets = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(Database.QUERY_TIMEOUT_SECONDS);
            where.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    AccuracyTotals step =
                            AccuracyTotals.of(
                                    rs.getLong("points"),
                                    rs.getDouble("abs_error"),
                                    rs.getDouble("squared_error"),
                                    rs.getDouble("naive_abs_error"),
                                    rs.getDouble("naive_squared_error"),
                                    rs.getLong("moved"),
                                    rs.getLong("moved_right"),
                                    rs.getLong("inside"));
                    buckets.computeIfAbsent(keyOf.read(rs), k -> new LinkedHashMap<>())
                            .computeIfAbsent(
                                    Accuracy.bucketOf(rs.getInt("horizon_bars")),
                                    b -> new AccuracyTotals())
                            .add(step);
                }
            }
        }
        Map<K, Map<String, AccuracyFigures>> figures = new LinkedHashMap<>();
        buckets.forEach((key, totals) -> figures.put(key, figures(totals, only)));
        return figures;
    }

    /** The figures of each bucket with points and of all of them, in {@link Accuracy#HORIZONS}. */
    private static Map<String, AccuracyFigures> figures(
            Map<String, AccuracyTotals> buckets, String only) {
        AccuracyTotals all = new AccuracyTotals();
        buckets.values().forEach(all::add);
        Map<String, AccuracyFigures> figures = new LinkedHashMap<>();
        for (String horizon : Accuracy.HORIZONS) {
            AccuracyTotals totals = horizon.equals(Accuracy.ALL) ? all : buckets.get(horizon);
            if (totals != null && totals.points() > 0 && (only == null || only.equals(horizon))) {
                figures.put(horizon, AccuracyFigures.of(totals));
            }
        }
        return figures;
    }
}
