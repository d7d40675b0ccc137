package io.barcast.connectors.jdbc;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.Secrets;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * PostgreSQL sinks of barcast's outputs. Every write is an idempotent upsert keyed by a
 * deterministic id, so a replay or a recovery from a checkpoint leaves the same rows; a row is only
 * rewritten when its content really changed (a revised bar), so measurements such as inference time
 * keep the values of the first write. A row PostgreSQL refuses is set aside alone, as a dead letter
 * (see {@link UpsertSink}), and the others are written.
 */
public final class JdbcSinks {

    static final String UPSERT_BAR =
            """
            INSERT INTO bars (symbol, bar_time, open, high, low, close, volume, vwap, trades)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (symbol, bar_time) DO UPDATE SET
              open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
              close = EXCLUDED.close, volume = EXCLUDED.volume, vwap = EXCLUDED.vwap,
              trades = EXCLUDED.trades, updated_at = now()
            WHERE (bars.open, bars.high, bars.low, bars.close, bars.volume, bars.vwap, bars.trades)
              IS DISTINCT FROM
              (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume,
               EXCLUDED.vwap, EXCLUDED.trades)
            """;

    static final String UPSERT_PREDICTION =
            """
            INSERT INTO predictions (prediction_id, symbol, as_of, reason, model_folder,
              model_name, model_version, last_close, path_times, path_prices, path_lower,
              path_upper, horizon_end, band_method, band_coverage, confidence, confidence_level,
              confidence_factors, confidence_decay, batch_size, inference_micros, received_at,
              predicted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz[], ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?,
              ?, ?, ?, ?)
            ON CONFLICT (prediction_id) DO UPDATE SET
              reason = EXCLUDED.reason, model_folder = EXCLUDED.model_folder,
              last_close = EXCLUDED.last_close, path_times = EXCLUDED.path_times,
              path_prices = EXCLUDED.path_prices, path_lower = EXCLUDED.path_lower,
              path_upper = EXCLUDED.path_upper, horizon_end = EXCLUDED.horizon_end,
              band_method = EXCLUDED.band_method, band_coverage = EXCLUDED.band_coverage,
              confidence = EXCLUDED.confidence, confidence_level = EXCLUDED.confidence_level,
              confidence_factors = EXCLUDED.confidence_factors,
              confidence_decay = EXCLUDED.confidence_decay, batch_size = EXCLUDED.batch_size,
              inference_micros = EXCLUDED.inference_micros, received_at = EXCLUDED.received_at,
              predicted_at = EXCLUDED.predicted_at, written_at = now()
            WHERE (predictions.reason, predictions.last_close, predictions.path_times,
                   predictions.path_prices, predictions.path_lower, predictions.path_upper,
                   predictions.confidence, predictions.confidence_factors)
              IS DISTINCT FROM
              (EXCLUDED.reason, EXCLUDED.last_close, EXCLUDED.path_times, EXCLUDED.path_prices,
               EXCLUDED.path_lower, EXCLUDED.path_upper, EXCLUDED.confidence,
               EXCLUDED.confidence_factors)
            """;

    static final String UPSERT_RECOMMENDATION =
            """
            INSERT INTO recommendations (recommendation_id, prediction_id, symbol, as_of, side,
              entry_time, entry_price, exit_time, target_price, stop_loss,
              expected_return_percent, risk_reward, confidence, model_version, status,
              superseded_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (recommendation_id) DO UPDATE SET
              entry_time = EXCLUDED.entry_time, entry_price = EXCLUDED.entry_price,
              exit_time = EXCLUDED.exit_time, target_price = EXCLUDED.target_price,
              stop_loss = EXCLUDED.stop_loss,
              expected_return_percent = EXCLUDED.expected_return_percent,
              risk_reward = EXCLUDED.risk_reward, confidence = EXCLUDED.confidence,
              status = EXCLUDED.status, superseded_by = EXCLUDED.superseded_by,
              updated_at = now()
            WHERE (recommendations.entry_time, recommendations.entry_price,
                   recommendations.exit_time, recommendations.target_price,
                   recommendations.stop_loss, recommendations.confidence,
                   recommendations.status, recommendations.superseded_by)
              IS DISTINCT FROM
              (EXCLUDED.entry_time, EXCLUDED.entry_price, EXCLUDED.exit_time,
               EXCLUDED.target_price, EXCLUDED.stop_loss, EXCLUDED.confidence, EXCLUDED.status,
               EXCLUDED.superseded_by)
            """;

    static final String UPSERT_VALIDATION =
            """
            INSERT INTO validations (validation_id, prediction_id, symbol, as_of, target_time,
              horizon_bars, last_close, predicted, actual, error_percent, naive_error_percent,
              direction_right, inside_band, band_lower, band_upper)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (validation_id) DO UPDATE SET
              last_close = EXCLUDED.last_close, predicted = EXCLUDED.predicted,
              actual = EXCLUDED.actual, error_percent = EXCLUDED.error_percent,
              naive_error_percent = EXCLUDED.naive_error_percent,
              direction_right = EXCLUDED.direction_right, inside_band = EXCLUDED.inside_band,
              band_lower = EXCLUDED.band_lower, band_upper = EXCLUDED.band_upper,
              written_at = now()
            WHERE (validations.predicted, validations.actual, validations.band_lower,
                   validations.band_upper)
              IS DISTINCT FROM
              (EXCLUDED.predicted, EXCLUDED.actual, EXCLUDED.band_lower, EXCLUDED.band_upper)
            """;

    static final String INSERT_ALERT =
            """
            INSERT INTO alerts (alert_id, severity, category, symbol, message, raised_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (alert_id) DO NOTHING
            """;

    static final String INSERT_DEAD_LETTER =
            """
            INSERT INTO dead_letters (dead_letter_id, symbol, stage, reason, event_time, payload)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (dead_letter_id) DO NOTHING
            """;

    static final String UPSERT_ACCURACY =
            """
            INSERT INTO accuracy (accuracy_id, symbol, as_of, horizon, model_version, points,
              mae_percent, rmse_percent, naive_mae_percent, naive_rmse_percent,
              directional_accuracy, band_coverage, skill)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (accuracy_id) DO UPDATE SET
              model_version = EXCLUDED.model_version, points = EXCLUDED.points,
              mae_percent = EXCLUDED.mae_percent, rmse_percent = EXCLUDED.rmse_percent,
              naive_mae_percent = EXCLUDED.naive_mae_percent,
              naive_rmse_percent = EXCLUDED.naive_rmse_percent,
              directional_accuracy = EXCLUDED.directional_accuracy,
              band_coverage = EXCLUDED.band_coverage, skill = EXCLUDED.skill, written_at = now()
            WHERE (accuracy.model_version, accuracy.points, accuracy.mae_percent,
                   accuracy.rmse_percent, accuracy.band_coverage)
              IS DISTINCT FROM
              (EXCLUDED.model_version, EXCLUDED.points, EXCLUDED.mae_percent,
               EXCLUDED.rmse_percent, EXCLUDED.band_coverage)
            """;

    static final String UPSERT_TRADE_OUTCOME =
            """
            INSERT INTO trade_outcomes (recommendation_id, prediction_id, symbol, side,
              entry_time, entry_price, target_price, stop_loss, outcome, exit_time, exit_price,
              realized_return_percent, bars_held)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (recommendation_id) DO UPDATE SET
              entry_time = EXCLUDED.entry_time, entry_price = EXCLUDED.entry_price,
              target_price = EXCLUDED.target_price, stop_loss = EXCLUDED.stop_loss,
              outcome = EXCLUDED.outcome, exit_time = EXCLUDED.exit_time,
              exit_price = EXCLUDED.exit_price,
              realized_return_percent = EXCLUDED.realized_return_percent,
              bars_held = EXCLUDED.bars_held, written_at = now()
            WHERE (trade_outcomes.outcome, trade_outcomes.exit_time, trade_outcomes.exit_price,
                   trade_outcomes.entry_price)
              IS DISTINCT FROM
              (EXCLUDED.outcome, EXCLUDED.exit_time, EXCLUDED.exit_price, EXCLUDED.entry_price)
            """;

    static final String INSERT_REPREDICTION =
            """
            INSERT INTO reprediction_requests (request_id, symbol, cause, detail, bar_time,
              requested_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id) DO NOTHING
            """;

    static final String INSERT_RETRAIN =
            """
            INSERT INTO retrain_requests (request_id, symbol, model_folder, model_version,
              below_since, as_of, skill, threshold, mae_percent, naive_mae_percent, points,
              message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id) DO NOTHING
            """;

    private JdbcSinks() {}

    /** Connection settings of the sink tables' database. */
    public record Database(
            String url, String user, String password, int batchSize, Duration batchInterval)
            implements java.io.Serializable {

        JdbcConnectionOptions connection() {
            JdbcConnectionOptions.JdbcConnectionOptionsBuilder builder =
                    new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                            .withUrl(url)
                            .withDriverName("org.postgresql.Driver");
            if (user != null && !user.isEmpty()) {
                builder.withUsername(user);
            }
            if (password != null && !password.isEmpty()) {
                builder.withPassword(password);
            }
            return builder.build();
        }

        /** The URL without credentials, for logs and errors. */
        public String safeUrl() {
            return Secrets.maskUrlPasswords(url);
        }

        @Override
        public String toString() {
            return "Database[" + safeUrl() + "]";
        }
    }

    public static UpsertSink<Bar> bars(Database database) {
        return new UpsertSink<>(
                database, "bars", UPSERT_BAR, JdbcSinks::bindBar, Bar::symbol, Bar::time);
    }

    public static UpsertSink<Prediction> predictions(Database database) {
        return new UpsertSink<>(
                database,
                "predictions",
                UPSERT_PREDICTION,
                JdbcSinks::bindPrediction,
                Prediction::symbol,
                Prediction::asOf);
    }

    public static UpsertSink<Recommendation> recommendations(Database database) {
        return new UpsertSink<>(
                database,
                "recommendations",
                UPSERT_RECOMMENDATION,
                JdbcSinks::bindRecommendation,
                Recommendation::symbol,
                Recommendation::asOf);
    }

    public static UpsertSink<Validation> validations(Database database) {
        return new UpsertSink<>(
                database,
                "validations",
                UPSERT_VALIDATION,
                JdbcSinks::bindValidation,
                Validation::symbol,
                Validation::targetTime);
    }

    public static UpsertSink<Accuracy> accuracy(Database database) {
        return new UpsertSink<>(
                database,
                "accuracy",
                UPSERT_ACCURACY,
                JdbcSinks::bindAccuracy,
                Accuracy::symbol,
                Accuracy::asOf);
    }

    public static UpsertSink<TradeOutcome> tradeOutcomes(Database database) {
        return new UpsertSink<>(
                database,
                "trade_outcomes",
                UPSERT_TRADE_OUTCOME,
                JdbcSinks::bindTradeOutcome,
                TradeOutcome::symbol,
                TradeOutcome::entryTime);
    }

    public static UpsertSink<RepredictionRequest> repredictions(Database database) {
        return new UpsertSink<>(
                database,
                "reprediction_requests",
                INSERT_REPREDICTION,
                JdbcSinks::bindReprediction,
                RepredictionRequest::symbol,
                RepredictionRequest::barTime);
    }

    public static UpsertSink<RetrainRequest> retrains(Database database) {
        return new UpsertSink<>(
                database,
                "retrain_requests",
                INSERT_RETRAIN,
                JdbcSinks::bindRetrain,
                RetrainRequest::symbol,
                RetrainRequest::asOf);
    }

    public static UpsertSink<Alert> alerts(Database database) {
        return new UpsertSink<>(
                database, "alerts", INSERT_ALERT, JdbcSinks::bindAlert, Alert::symbol, Alert::time);
    }

    /** A dead letter PostgreSQL refuses is kept in {@code sink_failures}. */
    public static UpsertSink<DeadLetter> deadLetters(Database database) {
        return new UpsertSink<>(
                database,
                RefusedRows.DEAD_LETTERS,
                INSERT_DEAD_LETTER,
                JdbcSinks::bindDeadLetter,
                DeadLetter::symbol,
                DeadLetter::eventTime);
    }

    static void bindBar(PreparedStatement statement, Bar bar) throws SQLException {
        statement.setString(1, bar.symbol());
        statement.setObject(2, timestamp(bar.time()));
        statement.setDouble(3, bar.open());
        statement.setDouble(4, bar.high());
        statement.setDouble(5, bar.low());
        statement.setDouble(6, bar.close());
        statement.setDouble(7, bar.volume());
        if (bar.vwap() == null) {
            statement.setNull(8, Types.DOUBLE);
        } else {
            statement.setDouble(8, bar.vwap());
        }
        if (bar.trades() == null) {
            statement.setNull(9, Types.BIGINT);
        } else {
            statement.setLong(9, bar.trades());
        }
    }

    static void bindPrediction(PreparedStatement statement, Prediction p) throws SQLException {
        statement.setObject(1, UUID.fromString(p.id()));
        statement.setString(2, p.symbol());
        statement.setObject(3, timestamp(p.asOf()));
        statement.setString(4, p.reason());
        statement.setString(5, p.modelFolder());
        statement.setString(6, p.modelName());
        statement.setString(7, p.modelVersion());
        statement.setDouble(8, p.lastClose());
        String[] times = new String[p.times().length];
        for (int i = 0; i < times.length; i++) {
            times[i] = Instant.ofEpochMilli(p.times()[i]).toString();
        }
        statement.setArray(9, statement.getConnection().createArrayOf("text", times));
        statement.setArray(10, doubles(statement, p.prices()));
        statement.setArray(11, doubles(statement, p.lower()));
        statement.setArray(12, doubles(statement, p.upper()));
        long end = p.times().length == 0 ? p.asOf() : p.times()[p.times().length - 1];
        statement.setObject(13, timestamp(end));
        statement.setString(14, p.bandMethod());
        statement.setDouble(15, p.bandCoverage());
        statement.setDouble(16, p.confidence());
        statement.setString(17, p.confidenceLevel());
        statement.setString(18, factorsJson(p));
        statement.setDouble(19, p.confidenceDecay());
        statement.setInt(20, p.batchSize());
        statement.setLong(21, p.inferenceMicros());
        statement.setObject(22, timestamp(p.receivedAt()));
        statement.setObject(23, timestamp(p.predictedAt()));
    }

    /** The factors as a JSON object; names are fixed identifiers and values finite numbers. */
    private static String factorsJson(Prediction p) {
        StringBuilder json = new StringBuilder("{");
        p.confidenceFactorsByName()
                .forEach(
                        (name, value) -> {
                            if (json.length() > 1) {
                                json.append(',');
                            }
                            json.append('"').append(name).append("\":").append(value);
                        });
        return json.append('}').toString();
    }

    private static Array doubles(PreparedStatement statement, double[] values) throws SQLException {
        if (values == null) {
            return null;
        }
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return statement.getConnection().createArrayOf("float8", boxed);
    }

    static void bindRecommendation(PreparedStatement statement, Recommendation r)
            throws SQLException {
        statement.setObject(1, UUID.fromString(r.id()));
        statement.setObject(2, UUID.fromString(r.predictionId()));
        statement.setString(3, r.symbol());
        statement.setObject(4, timestamp(r.asOf()));
        statement.setString(5, r.side());
        statement.setObject(6, timestamp(r.entryTime()));
        statement.setDouble(7, r.entryPrice());
        statement.setObject(8, timestamp(r.exitTime()));
        statement.setDouble(9, r.targetPrice());
        statement.setDouble(10, r.stopLoss());
        statement.setDouble(11, r.expectedReturnPercent());
        statement.setDouble(12, r.riskReward());
        statement.setDouble(13, r.confidence());
        statement.setString(14, r.modelVersion());
        statement.setString(15, r.status());
        statement.setObject(
                16, r.supersededBy() == null ? null : UUID.fromString(r.supersededBy()));
        statement.setObject(17, timestamp(r.createdAt()));
    }

    static void bindValidation(PreparedStatement statement, Validation v) throws SQLException {
        statement.setObject(1, UUID.fromString(v.id()));
        statement.setObject(2, UUID.fromString(v.predictionId()));
        statement.setString(3, v.symbol());
        statement.setObject(4, timestamp(v.asOf()));
        statement.setObject(5, timestamp(v.targetTime()));
        statement.setInt(6, v.horizonBars());
        statement.setDouble(7, v.lastClose());
        statement.setDouble(8, v.predicted());
        statement.setDouble(9, v.actual());
        statement.setDouble(10, v.errorPercent());
        statement.setDouble(11, v.naiveErrorPercent());
        if (v.directionRight() == null) {
            statement.setNull(12, Types.BOOLEAN);
        } else {
            statement.setBoolean(12, v.directionRight());
        }
        statement.setBoolean(13, v.insideBand());
        statement.setDouble(14, v.lower());
        statement.setDouble(15, v.upper());
    }

    static void bindAccuracy(PreparedStatement statement, Accuracy a) throws SQLException {
        statement.setObject(1, UUID.fromString(a.id()));
        statement.setString(2, a.symbol());
        statement.setObject(3, timestamp(a.asOf()));
        statement.setString(4, a.horizon());
        statement.setString(5, a.modelVersion());
        statement.setInt(6, a.points());
        statement.setDouble(7, a.maePercent());
        statement.setDouble(8, a.rmsePercent());
        statement.setDouble(9, a.naiveMaePercent());
        statement.setDouble(10, a.naiveRmsePercent());
        nullableDouble(statement, 11, a.directionalAccuracy());
        statement.setDouble(12, a.bandCoverage());
        nullableDouble(statement, 13, a.skill());
    }

    static void bindTradeOutcome(PreparedStatement statement, TradeOutcome o) throws SQLException {
        statement.setObject(1, UUID.fromString(o.recommendationId()));
        statement.setObject(2, UUID.fromString(o.predictionId()));
        statement.setString(3, o.symbol());
        statement.setString(4, o.side());
        statement.setObject(5, timestamp(o.entryTime()));
        statement.setDouble(6, o.entryPrice());
        statement.setDouble(7, o.targetPrice());
        statement.setDouble(8, o.stopLoss());
        statement.setString(9, o.outcome());
        statement.setObject(10, timestamp(o.exitTime()));
        statement.setDouble(11, o.exitPrice());
        statement.setDouble(12, o.realizedReturnPercent());
        statement.setInt(13, o.barsHeld());
    }

    static void bindReprediction(PreparedStatement statement, RepredictionRequest r)
            throws SQLException {
        statement.setObject(1, UUID.fromString(r.id()));
        statement.setString(2, r.symbol());
        statement.setString(3, r.cause());
        statement.setString(4, r.detail());
        statement.setObject(5, r.barTime() == 0 ? null : timestamp(r.barTime()));
        statement.setObject(6, timestamp(r.requestedAt()));
    }

    static void bindRetrain(PreparedStatement statement, RetrainRequest r) throws SQLException {
        statement.setObject(1, UUID.fromString(r.id()));
        statement.setString(2, r.symbol());
        statement.setString(3, r.modelFolder());
        statement.setString(4, r.modelVersion());
        statement.setObject(5, timestamp(r.belowSince()));
        statement.setObject(6, timestamp(r.asOf()));
        statement.setDouble(7, r.skill());
        statement.setDouble(8, r.threshold());
        statement.setDouble(9, r.maePercent());
        statement.setDouble(10, r.naiveMaePercent());
        statement.setInt(11, r.points());
        statement.setString(12, r.message());
    }

    private static void nullableDouble(PreparedStatement statement, int index, Double value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    static void bindAlert(PreparedStatement statement, Alert a) throws SQLException {
        statement.setObject(1, UUID.fromString(a.id()));
        statement.setString(2, a.severity());
        statement.setString(3, a.category());
        statement.setString(4, a.symbol());
        statement.setString(5, a.message());
        statement.setObject(6, timestamp(a.time()));
    }

    static void bindDeadLetter(PreparedStatement statement, DeadLetter d) throws SQLException {
        statement.setObject(1, UUID.fromString(d.id()));
        statement.setString(2, d.symbol());
        statement.setString(3, d.stage());
        statement.setString(4, d.reason());
        if (d.eventTime() == 0) {
            statement.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(5, timestamp(d.eventTime()));
        }
        statement.setString(6, d.payload() == null ? "" : d.payload());
    }

    private static OffsetDateTime timestamp(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }
}
