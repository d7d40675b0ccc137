package io.barcast.api.query;

import io.barcast.api.http.ApiProblem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * The API's rule for symbols: one that has no row at all in the table an endpoint reads is unknown,
 * a 404 naming the parameter, so that a mistyped symbol is not answered with an empty list that
 * looks like "nothing happened".
 */
final class KnownSymbols {

    private final String firstUnknown;

    /** The check against {@code table}, a table name written in code (every table has symbol). */
    KnownSymbols(String table) {
        this.firstUnknown =
                "SELECT u.symbol FROM unnest(?::text[]) WITH ORDINALITY AS u(symbol, n)"
                        + " WHERE NOT EXISTS (SELECT 1 FROM "
                        + table
                        + " t WHERE t.symbol = u.symbol) ORDER BY u.n LIMIT 1";
    }

    /** Throws a 404 naming {@code parameter} and the first of {@code symbols} that is unknown. */
    void require(Connection connection, String parameter, Collection<String> symbols)
            throws SQLException {
        if (symbols.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(firstUnknown)) {
            statement.setQueryTimeout(Database.QUERY_TIMEOUT_SECONDS);
            Conditions.bind(statement, 1, List.copyOf(symbols));
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    throw ApiProblem.unknownSymbol(parameter, rs.getString(1));
                }
            }
        }
    }
}
