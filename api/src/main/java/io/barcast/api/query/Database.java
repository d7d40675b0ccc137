package io.barcast.api.query;

import io.barcast.api.http.ApiProblem;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * How the query classes reach the sink tables: a pooled connection, or a 503 when the database is
 * not reachable (rather than a 500, so clients and load balancers know to retry), and a bound on
 * how long one read may run.
 */
final class Database {

    /** A read the API makes never runs longer; a slower one is a bug or an overload. */
    static final int QUERY_TIMEOUT_SECONDS = 30;

    private Database() {}

    static Connection connect(DataSource db) throws SQLException {
        try {
            return db.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw ApiProblem.unavailable("the database is not reachable; retry later");
        }
    }
}
