package io.barcast.api.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The figures of the status endpoint, from the sink tables in two statements. Each figure reads an
 * index, not a table: the newest bar and forecast per symbol through the tables' (symbol, time)
 * indexes, the counts of the last hour and day through indexes on the times they count by.
 */
public final class StatusQueries {

    /** How fresh bars and forecasts are, and what happened in the hour before ?. */
    private static final String FIGURES =
            "WITH RECURSIVE "
                    + SymbolSkipScan.symbolsAfter("bar_symbols", "bars")
                    + """
                    , newest_bars AS (
                        SELECT b.bar_time, b.updated_at FROM bar_symbols s
                        CROSS JOIN LATERAL (SELECT bar_time, updated_at FROM bars b
                                            WHERE b.symbol = s.symbol
                                            ORDER BY b.bar_time DESC LIMIT 1) b
                        WHERE s.symbol IS NOT NULL)
                    ,"""
                    + SymbolSkipScan.symbolsAfter("forecast_symbols", "predictions")
                    + """
                    , newest_forecasts AS (
                        SELECT p.as_of FROM forecast_symbols s
                        CROSS JOIN LATERAL (SELECT as_of FROM predictions p
                                            WHERE p.symbol = s.symbol
                                            ORDER BY p.as_of DESC LIMIT 1) p
                        WHERE s.symbol IS NOT NULL)
                    SELECT
                      (SELECT count(*) FROM newest_bars) AS bar_symbols,
                      (SELECT max(bar_time) FROM newest_bars) AS newest_bar_time,
                      (SELECT max(updated_at) FROM newest_bars) AS newest_bar_written_at,
                      (SELECT count(*) FROM newest_forecasts) AS forecast_symbols,
                      (SELECT max(as_of) FROM newest_forecasts) AS newest_as_of,
                      (SELECT max(predicted_at) FROM predictions) AS newest_predicted_at,
                      (SELECT count(*) FROM predictions WHERE predicted_at >= ?)
                        AS forecasts_last_hour,
                      (SELECT count(*) FROM recommendations WHERE status = 'active')
                        AS active_recommendations,
                      (SELECT count(*) FROM alerts WHERE raised_at >= ?) AS alerts_last_hour,
                      (SELECT count(*) FROM dead_letters WHERE first_seen_at >= ?)
                        AS dead_letters_last_hour
                    """;

    /** Forecasts made since ?, by model. */
    private static final String BY_MODEL =
            """
            SELECT model_name, model_version, count(*) AS forecasts FROM predictions
            WHERE predicted_at >= ? GROUP BY model_name, model_version
            ORDER BY model_name, model_version
            """;

    private final DataSource db;

    public StatusQueries(DataSource db) {
        this.db = db;
    }

    /** The status at {@code now}, with {@code job} as given. */
    public StatusReport status(Instant now, FlinkJobOverview.Job job) throws SQLException {
        Instant hourAgo = now.minus(Duration.ofHours(1));
        try (Connection c = db.getConnection()) {
            List<StatusReport.ModelForecasts> models = new ArrayList<>();
            try (PreparedStatement statement = c.prepareStatement(BY_MODEL)) {
                statement.setObject(1, PredictionQueries.utc(now.minus(Duration.ofDays(1))));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        models.add(
                                new StatusReport.ModelForecasts(
                                        rows.getString("model_name"),
                                        rows.getString("model_version"),
                                        rows.getLong("forecasts")));
                    }
                }
            }
            try (PreparedStatement statement = c.prepareStatement(FIGURES)) {
                statement.setString(1, "");
                statement.setString(2, "");
                statement.setObject(3, PredictionQueries.utc(hourAgo));
                statement.setObject(4, PredictionQueries.utc(hourAgo));
                statement.setObject(5, PredictionQueries.utc(hourAgo));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    Instant newestBar = PredictionQueries.instant(rows, "newest_bar_time");
                    Instant newestAsOf = PredictionQueries.instant(rows, "newest_as_of");
                    return new StatusReport(
                            now,
                            new StatusReport.Bars(
                                    rows.getLong("bar_symbols"),
                                    newestBar,
                                    PredictionQueries.instant(rows, "newest_bar_written_at"),
                                    secondsBetween(newestBar, now)),
                            new StatusReport.Forecasts(
                                    rows.getLong("forecast_symbols"),
                                    newestAsOf,
                                    PredictionQueries.instant(rows, "newest_predicted_at"),
                                    secondsBetween(newestAsOf, now),
                                    rows.getLong("forecasts_last_hour"),
                                    models),
                            new StatusReport.Recommendations(
                                    rows.getLong("active_recommendations")),
                            rows.getLong("alerts_last_hour"),
                            rows.getLong("dead_letters_last_hour"),
                            job);
                }
            }
        }
    }

    private static Long secondsBetween(Instant from, Instant to) {
        return from == null ? null : Duration.between(from, to).toSeconds();
    }
}
