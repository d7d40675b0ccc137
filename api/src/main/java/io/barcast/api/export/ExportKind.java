package io.barcast.api.export;

import static io.barcast.api.export.ColumnType.BIGINT;
import static io.barcast.api.export.ColumnType.BOOLEAN;
import static io.barcast.api.export.ColumnType.DOUBLE;
import static io.barcast.api.export.ColumnType.DOUBLE_ARRAY;
import static io.barcast.api.export.ColumnType.INTEGER;
import static io.barcast.api.export.ColumnType.JSON;
import static io.barcast.api.export.ColumnType.TEXT;
import static io.barcast.api.export.ColumnType.TIMESTAMP;
import static io.barcast.api.export.ColumnType.TIMESTAMP_ARRAY;
import static io.barcast.api.export.ColumnType.UUID;
import static io.barcast.api.export.ExportColumn.optional;
import static io.barcast.api.export.ExportColumn.required;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What an export holds: the rows of one sink table, every column as the table names it, filtered by
 * symbol and by the table's time column in [from, to), ordered by symbol, time and id; or {@link
 * #ALL} of them, one file each.
 */
public enum ExportKind {
    /** Forecasts with their whole paths (times, prices, band) and confidence factors. */
    PREDICTIONS(
            "predictions",
            "as_of",
            "prediction_id",
            // a row holds four arrays of up to 672 points: about 25 kB
            100,
            List.of(
                    required("prediction_id", UUID),
                    required("symbol", TEXT),
                    required("as_of", TIMESTAMP),
                    required("reason", TEXT),
                    optional("model_folder", TEXT),
                    required("model_name", TEXT),
                    required("model_version", TEXT),
                    required("last_close", DOUBLE),
                    required("path_times", TIMESTAMP_ARRAY),
                    required("path_prices", DOUBLE_ARRAY),
                    optional("path_lower", DOUBLE_ARRAY),
                    optional("path_upper", DOUBLE_ARRAY),
                    required("horizon_end", TIMESTAMP),
                    optional("band_method", TEXT),
                    optional("band_coverage", DOUBLE),
                    optional("confidence", DOUBLE),
                    optional("confidence_level", TEXT),
                    optional("confidence_factors", JSON),
                    optional("confidence_decay", DOUBLE),
                    required("batch_size", INTEGER),
                    required("inference_micros", BIGINT),
                    required("received_at", TIMESTAMP),
                    required("predicted_at", TIMESTAMP),
                    required("written_at", TIMESTAMP))),
    RECOMMENDATIONS(
            "recommendations",
            "as_of",
            "recommendation_id",
            2_000,
            List.of(
                    required("recommendation_id", UUID),
                    required("prediction_id", UUID),
                    required("symbol", TEXT),
                    required("as_of", TIMESTAMP),
                    required("side", TEXT),
                    required("entry_time", TIMESTAMP),
                    required("entry_price", DOUBLE),
                    required("exit_time", TIMESTAMP),
                    required("target_price", DOUBLE),
                    required("stop_loss", DOUBLE),
                    required("expected_return_percent", DOUBLE),
                    required("risk_reward", DOUBLE),
                    required("confidence", DOUBLE),
                    required("model_version", TEXT),
                    required("status", TEXT),
                    optional("superseded_by", UUID),
                    required("created_at", TIMESTAMP),
                    required("updated_at", TIMESTAMP))),
    /** Every forecast point checked against its bar. */
    VALIDATIONS(
            "validations",
            "target_time",
            "validation_id",
            2_000,
            List.of(
                    required("validation_id", UUID),
                    required("prediction_id", UUID),
                    required("symbol", TEXT),
                    required("as_of", TIMESTAMP),
                    required("target_time", TIMESTAMP),
                    required("horizon_bars", INTEGER),
                    required("last_close", DOUBLE),
                    required("predicted", DOUBLE),
                    required("actual", DOUBLE),
                    required("error_percent", DOUBLE),
                    required("naive_error_percent", DOUBLE),
                    optional("direction_right", BOOLEAN),
                    required("inside_band", BOOLEAN),
                    required("band_lower", DOUBLE),
                    required("band_upper", DOUBLE),
                    required("written_at", TIMESTAMP))),
    /** The job's rolling accuracy rows (table {@code accuracy}). */
    PERFORMANCE(
            "accuracy",
            "as_of",
            "accuracy_id",
            2_000,
            List.of(
                    required("accuracy_id", UUID),
                    required("symbol", TEXT),
                    required("as_of", TIMESTAMP),
                    required("horizon", TEXT),
                    required("model_version", TEXT),
                    required("points", INTEGER),
                    required("mae_percent", DOUBLE),
                    required("rmse_percent", DOUBLE),
                    required("naive_mae_percent", DOUBLE),
                    required("naive_rmse_percent", DOUBLE),
                    optional("directional_accuracy", DOUBLE),
                    required("band_coverage", DOUBLE),
                    optional("skill", DOUBLE),
                    required("written_at", TIMESTAMP))),
    ALERTS(
            "alerts",
            "raised_at",
            "alert_id",
            2_000,
            List.of(
                    required("alert_id", UUID),
                    required("severity", TEXT),
                    required("category", TEXT),
                    required("symbol", TEXT),
                    required("message", TEXT),
                    required("raised_at", TIMESTAMP),
                    required("written_at", TIMESTAMP))),
    /** The bars forecasts were made from; (symbol, bar_time) is the key. */
    BARS(
            "bars",
            "bar_time",
            null,
            2_000,
            List.of(
                    required("symbol", TEXT),
                    required("bar_time", TIMESTAMP),
                    required("open", DOUBLE),
                    required("high", DOUBLE),
                    required("low", DOUBLE),
                    required("close", DOUBLE),
                    required("volume", DOUBLE),
                    optional("vwap", DOUBLE),
                    optional("trades", BIGINT),
                    required("updated_at", TIMESTAMP))),
    /** One file per kind above, in a zip. */
    ALL(null, null, null, 0, List.of());

    private final String table;
    private final String timeColumn;
    private final String idColumn;
    private final int fetchSize;
    private final List<ExportColumn> columns;

    ExportKind(
            String table,
            String timeColumn,
            String idColumn,
            int fetchSize,
            List<ExportColumn> columns) {
        this.table = table;
        this.timeColumn = timeColumn;
        this.idColumn = idColumn;
        this.fetchSize = fetchSize;
        this.columns = columns;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kinds a file of this kind holds: itself, or every kind for {@link #ALL}. */
    List<ExportKind> parts() {
        return this == ALL
                ? Arrays.stream(values()).filter(kind -> kind != ALL).toList()
                : List.of(this);
    }

    String table() {
        return table;
    }

    /** The column {@code from} and {@code to} filter on. */
    String timeColumn() {
        return timeColumn;
    }

    /** Rows fetched from PostgreSQL at a time: what one fetch may hold in memory. */
    int fetchSize() {
        return fetchSize;
    }

    List<ExportColumn> columns() {
        return columns;
    }

    /**
     * The SELECT of this kind's rows, in a stable order; its parameters are the filter's values
     * (symbols, from, to as given) and, last, the row limit.
     */
    String select(boolean bySymbols, boolean hasFrom, boolean hasTo) {
        StringBuilder sql = new StringBuilder("SELECT ");
        sql.append(String.join(", ", columns.stream().map(ExportColumn::select).toList()));
        sql.append(" FROM ").append(table);
        String joiner = " WHERE ";
        if (bySymbols) {
            sql.append(joiner).append("symbol = ANY (?)");
            joiner = " AND ";
        }
        if (hasFrom) {
            sql.append(joiner).append(timeColumn).append(" >= ?");
            joiner = " AND ";
        }
        if (hasTo) {
            sql.append(joiner).append(timeColumn).append(" < ?");
        }
        sql.append(" ORDER BY symbol, ").append(timeColumn);
        if (idColumn != null) {
            sql.append(", ").append(idColumn);
        }
        return sql.append(" LIMIT ?").toString();
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(ExportKind::label).toList();
    }

    static ExportKind of(String label) {
        for (ExportKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        return null;
    }
}
