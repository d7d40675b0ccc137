package io.barcast.api.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import io.barcast.api.http.SymbolCursor;
import io.barcast.core.json.Json;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The forecasts in the {@code predictions} table: each symbol's latest, one symbol's as of a time,
 * and one symbol's history. Every lookup walks the index {@code predictions_by_symbol} (symbol,
 * as_of DESC): a symbol's latest forecast is the first entry of its range, and the set of symbols
 * is found by skipping from one symbol to the next in that index rather than reading every row.
 */
public final class PredictionQueries {

    /** A symbol's forecasts from the newest: latest bar first, then the one made last. */
    private static final String NEWEST_FIRST =
            "ORDER BY p.as_of DESC, p.predicted_at DESC, p.prediction_id DESC";

    private static final String SUMMARY_COLUMNS =
            """
            p.prediction_id, p.symbol, p.as_of, p.reason, p.model_folder, p.model_name,
            p.model_version, p.last_close, p.horizon_end,
            p.path_prices[cardinality(p.path_prices)] AS final_price, p.confidence,
            p.confidence_level, p.predicted_at""";

    private static final String FULL_COLUMNS =
            SUMMARY_COLUMNS
                    + """
                    , p.path_times, p.path_prices, p.path_lower, p.path_upper, p.band_method,
                    p.band_coverage, p.confidence_decay,
                    p.confidence_factors::text AS confidence_factors, p.batch_size,
                    p.inference_micros, p.received_at, p.written_at""";

    /** A symbol's latest forecast, for a LATERAL join over symbols {@code s}. */
    private static final String LATEST_OF_S =
            "CROSS JOIN LATERAL (SELECT * FROM predictions p WHERE p.symbol = s.symbol "
                    + NEWEST_FIRST
                    + " LIMIT 1) p";

    /** Each asked symbol's latest forecast, in the order asked. */
    private static final String LATEST_OF_EACH_ASKED =
            " FROM unnest(?::text[]) WITH ORDINALITY AS s (symbol, n) "
                    + LATEST_OF_S
                    + " ORDER BY s.n";

    private static final String NEWEST =
            "SELECT " + FULL_COLUMNS + " FROM predictions p WHERE p.symbol = ? ";

    private static final String NEWEST_NOW = NEWEST + NEWEST_FIRST + " LIMIT 1";

    // a separate statement, not "? IS NULL OR as_of <= ?": a generic plan could not use the
    // condition in the index scan and would read a symbol's newer forecasts one by one
    private static final String NEWEST_AS_OF =
            NEWEST + "AND p.as_of <= ? " + NEWEST_FIRST + " LIMIT 1";

    private static final String KNOWN =
            "SELECT EXISTS (SELECT 1 FROM predictions WHERE symbol = ?)";

    private static final ObjectReader FACTORS =
            Json.newMapper().readerFor(new TypeReference<TreeMap<String, Double>>() {});

    private final DataSource db;

    public PredictionQueries(DataSource db) {
        this.db = db;
    }

    /**
     * The latest forecast of each symbol (of {@code symbols}, or of every symbol when empty) after
     * the cursor's symbol, ordered by symbol, keeping those whose confidence is at least {@code
     * minConfidence} and whose level is {@code level} (each when not null).
     */
    public Page<ForecastSummary> latest(
            List<String> symbols, Double minConfidence, String level, SymbolCursor after, int limit)
            throws SQLException {
        boolean all = symbols.isEmpty();
        StringBuilder sql = new StringBuilder();
        if (all) {
            sql.append("WITH RECURSIVE ").append(SymbolSkipScan.symbolsAfter("s", "predictions"));
        }
        sql.append("SELECT ").append(SUMMARY_COLUMNS).append(" FROM (SELECT p.* FROM ");
        sql.append(all ? "s " : "unnest(?::text[]) AS s (symbol) ").append(LATEST_OF_S);
        sql.append(all ? " WHERE s.symbol IS NOT NULL" : " WHERE s.symbol > ?");
        if (minConfidence != null) {
            sql.append(" AND p.confidence >= ?");
        }
        if (level != null) {
            sql.append(" AND p.confidence_level = ?");
        }
        // only the page's rows are read whole (final_price reads the path): after the LIMIT
        sql.append(" ORDER BY s.symbol LIMIT ?) p ORDER BY p.symbol");
        String afterSymbol = after == null ? "" : after.symbol();
        try (Connection c = db.getConnection();
                PreparedStatement statement = c.prepareStatement(sql.toString())) {
            int i = 0;
            if (!all) {
                statement.setArray(++i, c.createArrayOf("text", symbols.toArray()));
            }
            statement.setString(++i, afterSymbol);
            if (minConfidence != null) {
                statement.setDouble(++i, minConfidence);
            }
            if (level != null) {
                statement.setString(++i, level);
            }
            statement.setInt(++i, limit + 1);
            List<ForecastSummary> items = new ArrayList<>(limit + 1);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    items.add(summary(rows));
                }
            }
            if (items.size() <= limit) {
                return new Page<>(items, null);
            }
            items.remove(limit);
            return new Page<>(items, new SymbolCursor(items.get(limit - 1).symbol()).encode());
        }
    }

    /**
     * The newest forecast of {@code symbol}, or its newest whose as-of bar is not after {@code
     * asOf} when that is not null.
     */
    public Optional<Forecast> newest(String symbol, Instant asOf) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement statement =
                        c.prepareStatement(asOf == null ? NEWEST_NOW : NEWEST_AS_OF)) {
            statement.setString(1, symbol);
            if (asOf != null) {
                statement.setObject(2, utc(asOf));
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(forecast(rows)) : Optional.empty();
            }
        }
    }

    /** The latest forecast of each of {@code symbols} that has one, in the order asked. */
    public List<ForecastSummary> latestSummaries(List<String> symbols) throws SQLException {
        return latestOfEach(symbols, SUMMARY_COLUMNS, PredictionQueries::summary);
    }

    /** As {@link #latestSummaries}, each forecast in full. */
    public List<Forecast> latestForecasts(List<String> symbols) throws SQLException {
        return latestOfEach(symbols, FULL_COLUMNS, PredictionQueries::forecast);
    }

    /** A row read into what an answer holds. */
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> latestOfEach(List<String> symbols, String columns, RowReader<T> reader)
            throws SQLException {
        List<T> items = new ArrayList<>(symbols.size());
        try (Connection c = db.getConnection();
                PreparedStatement statement =
                        c.prepareStatement("SELECT " + columns + LATEST_OF_EACH_ASKED)) {
            statement.setArray(1, c.createArrayOf("text", symbols.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    items.add(reader.read(rows));
                }
            }
        }
        return items;
    }

    /**
     * The forecasts of {@code symbol} whose as-of bar lies in [from, to) (each bound when not
     * null), newest as-of first, after the cursor's forecast.
     */
    public Page<ForecastSummary> history(
            String symbol, Instant from, Instant to, Cursor after, int limit) throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT ")
                        .append(SUMMARY_COLUMNS)
                        .append(" FROM predictions p WHERE p.symbol = ?");
        if (from != null) {
            sql.append(" AND p.as_of >= ?");
        }
        if (to != null) {
            sql.append(" AND p.as_of < ?");
        }
        if (after != null) {
            // as_of <= ? alone bounds the index scan; the rest breaks ties within one bar
            sql.append(" AND p.as_of <= ? AND (p.as_of < ? OR p.prediction_id < ?)");
        }
        sql.append(" ORDER BY p.as_of DESC, p.prediction_id DESC LIMIT ?");
        try (Connection c = db.getConnection();
                PreparedStatement statement = c.prepareStatement(sql.toString())) {
            int i = 0;
            statement.setString(++i, symbol);
            if (from != null) {
                statement.setObject(++i, utc(from));
            }
            if (to != null) {
                statement.setObject(++i, utc(to));
            }
            if (after != null) {
                statement.setObject(++i, utc(after.time()));
                statement.setObject(++i, utc(after.time()));
                statement.setObject(++i, after.id());
            }
            statement.setInt(++i, limit + 1);
            List<ForecastSummary> items = new ArrayList<>(limit + 1);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    items.add(summary(rows));
                }
            }
            return Page.of(items, limit, last -> new Cursor(last.asOf(), last.predictionId()));
        }
    }

    /** Whether {@code symbol} has any forecast at all. */
    public boolean known(String symbol) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement statement = c.prepareStatement(KNOWN)) {
            statement.setString(1, symbol);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static ForecastSummary summary(ResultSet rows) throws SQLException {
        double lastClose = rows.getDouble("last_close");
        double finalPrice = rows.getDouble("final_price");
        return new ForecastSummary(
                rows.getObject("prediction_id", UUID.class),
                rows.getString("symbol"),
                instant(rows, "as_of"),
                rows.getString("reason"),
                rows.getString("model_folder"),
                rows.getString("model_name"),
                rows.getString("model_version"),
                lastClose,
                instant(rows, "horizon_end"),
                finalPrice,
                100 * (finalPrice / lastClose - 1),
                nullableDouble(rows, "confidence"),
                rows.getString("confidence_level"),
                instant(rows, "predicted_at"));
    }

    private static Forecast forecast(ResultSet rows) throws SQLException {
        ForecastSummary summary = summary(rows);
        String bandMethod = rows.getString("band_method");
        Forecast.Band band =
                bandMethod == null
                        ? null
                        : new Forecast.Band(bandMethod, nullableDouble(rows, "band_coverage"));
        Forecast.ConfidenceDetail confidence =
                summary.confidence() == null
                        ? null
                        : new Forecast.ConfidenceDetail(
                                summary.confidence(),
                                summary.confidenceLevel(),
                                nullableDouble(rows, "confidence_decay"),
                                factors(rows.getString("confidence_factors")));
        return new Forecast(
                summary,
                path(rows),
                band,
                confidence,
                rows.getInt("batch_size"),
                rows.getLong("inference_micros"),
                instant(rows, "received_at"),
                instant(rows, "written_at"));
    }

    private static Map<String, Double> factors(String json) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return FACTORS.readValue(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("confidence_factors is not a JSON object of numbers", e);
        }
    }

    /**
     * The path from its four array columns. Measured against writing the arrays out column by
     * column with a serializer of their own: that was only about 10% faster (0.62 against 0.68 ms
     * for 672 points, most of it formatting the times), not worth a serializer.
     */
    private static List<Forecast.PathPoint> path(ResultSet rows) throws SQLException {
        Timestamp[] times = (Timestamp[]) rows.getArray("path_times").getArray();
        Double[] prices = doubles(rows.getArray("path_prices"));
        Double[] lower = doubles(rows.getArray("path_lower"));
        Double[] upper = doubles(rows.getArray("path_upper"));
        List<Forecast.PathPoint> path = new ArrayList<>(times.length);
        for (int i = 0; i < times.length; i++) {
            path.add(
                    new Forecast.PathPoint(
                            times[i].toInstant(),
                            prices[i],
                            lower == null ? null : lower[i],
                            upper == null ? null : upper[i]));
        }
        return path;
    }

    private static Double[] doubles(Array array) throws SQLException {
        return array == null ? null : (Double[]) array.getArray();
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp time = rows.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }

    static Double nullableDouble(ResultSet rows, String column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
