package io.barcast.connectors.jdbc;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Prediction;
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
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * PostgreSQL sinks of barcast's outputs. Every write is an idempotent upsert keyed by a
 * deterministic id, so a replay or a recovery from a checkpoint leaves the same rows; a row is only
 * rewritten when its content really changed (a revised bar), so measurements such as inference time
 * keep the values of the first write.
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
            INSERT INTO predictions (prediction_id, symbol, as_of, reason, model_name,
              model_version, last_close, path_times, path_prices, horizon_end, batch_size,
              inference_micros, received_at, predicted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?::timestamptz[], ?, ?, ?, ?, ?, ?)
            ON CONFLICT (prediction_id) DO UPDATE SET
              reason = EXCLUDED.reason, last_close = EXCLUDED.last_close,
              path_times = EXCLUDED.path_times, path_prices = EXCLUDED.path_prices,
              horizon_end = EXCLUDED.horizon_end, batch_size = EXCLUDED.batch_size,
              inference_micros = EXCLUDED.inference_micros, received_at = EXCLUDED.received_at,
              predicted_at = EXCLUDED.predicted_at, written_at = now()
            WHERE (predictions.reason, predictions.last_close, predictions.path_times,
                   predictions.path_prices)
              IS DISTINCT FROM
              (EXCLUDED.reason, EXCLUDED.last_close, EXCLUDED.path_times, EXCLUDED.path_prices)
            """;

    static final String INSERT_DEAD_LETTER =
            """
            INSERT INTO dead_letters (dead_letter_id, symbol, stage, reason, event_time, payload)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (dead_letter_id) DO NOTHING
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

        JdbcExecutionOptions execution() {
            return JdbcExecutionOptions.builder()
                    .withBatchSize(batchSize)
                    .withBatchIntervalMs(batchInterval.toMillis())
                    .withMaxRetries(3)
                    .build();
        }

        /** The URL without credentials, for logs and errors. */
        public String safeUrl() {
            return maskPassword(url);
        }

        @Override
        public String toString() {
            return "Database[" + safeUrl() + "]";
        }
    }

    /** A JDBC URL with any {@code password=} parameter masked. */
    public static String maskPassword(String url) {
        return url == null ? null : url.replaceAll("(?i)password=[^&;]*", "password=***");
    }

    public static JdbcSink<Bar> bars(Database database) {
        return sink(database, UPSERT_BAR, JdbcSinks::bindBar);
    }

    public static JdbcSink<Prediction> predictions(Database database) {
        return sink(database, UPSERT_PREDICTION, JdbcSinks::bindPrediction);
    }

    public static JdbcSink<DeadLetter> deadLetters(Database database) {
        return sink(database, INSERT_DEAD_LETTER, JdbcSinks::bindDeadLetter);
    }

    private static <T> JdbcSink<T> sink(
            Database database, String sql, JdbcStatementBuilder<T> binder) {
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, binder)
                .withExecutionOptions(database.execution())
                .buildAtLeastOnce(database.connection());
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
        statement.setString(5, p.modelName());
        statement.setString(6, p.modelVersion());
        statement.setDouble(7, p.lastClose());
        String[] times = new String[p.times().length];
        for (int i = 0; i < times.length; i++) {
            times[i] = Instant.ofEpochMilli(p.times()[i]).toString();
        }
        statement.setArray(8, statement.getConnection().createArrayOf("text", times));
        Double[] prices = new Double[p.prices().length];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = p.prices()[i];
        }
        Array priceArray = statement.getConnection().createArrayOf("float8", prices);
        statement.setArray(9, priceArray);
        long end = p.times().length == 0 ? p.asOf() : p.times()[p.times().length - 1];
        statement.setObject(10, timestamp(end));
        statement.setInt(11, p.batchSize());
        statement.setLong(12, p.inferenceMicros());
        statement.setObject(13, timestamp(p.receivedAt()));
        statement.setObject(14, timestamp(p.predictedAt()));
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
