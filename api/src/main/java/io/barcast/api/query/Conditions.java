package io.barcast.api.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The WHERE clause of a query: fixed SQL fragments written in code, each with {@code ?} for the
 * values a client gave, bound in order. Client text only ever reaches the database as a bound
 * value, never as SQL.
 */
final class Conditions {

    private final List<String> fragments = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** Adds {@code fragment} (SQL from code) with one value for each of its {@code ?}. */
    Conditions add(String fragment, Object... fragmentValues) {
        fragments.add(fragment);
        values.addAll(List.of(fragmentValues));
        return this;
    }

    /** Adds {@code symbol = ANY (?)} unless {@code symbols} is empty (no filter). */
    Conditions symbols(Collection<String> symbols) {
        return symbols.isEmpty() ? this : add("symbol = ANY (?)", List.copyOf(symbols));
    }

    /** Adds {@code column = ?} unless {@code value} is null (no filter). */
    Conditions equal(String column, Object value) {
        return value == null ? this : add(column + " = ?", value);
    }

    /** Adds {@code column >= from} and {@code column < to} for the bounds that are given. */
    Conditions between(String column, Instant from, Instant to) {
        if (from != null) {
            add(column + " >= ?", from);
        }
        if (to != null) {
            add(column + " < ?", to);
        }
        return this;
    }

    /** {@code WHERE a AND b ...}, or nothing when there are no conditions. */
    String sql() {
        return fragments.isEmpty() ? "" : " WHERE " + String.join(" AND ", fragments);
    }

    /** Binds the values from parameter 1 on; returns the next free parameter index. */
    int bind(PreparedStatement statement) throws SQLException {
        int index = 1;
        for (Object value : values) {
            bind(statement, index++, value);
        }
        return index;
    }

    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof Instant instant) {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        } else if (value instanceof List<?> list) {
            Connection connection = statement.getConnection();
            statement.setArray(index, connection.createArrayOf("text", list.toArray()));
        } else if (value instanceof String
                || value instanceof Double
                || value instanceof Integer
                || value instanceof Long
                || value instanceof UUID) {
            statement.setObject(index, value);
        } else {
            throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
        }
    }
}
