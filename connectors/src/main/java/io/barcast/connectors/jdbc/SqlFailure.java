package io.barcast.connectors.jdbc;

import io.barcast.core.Secrets;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Why PostgreSQL did not take a write, and whether that is an outage to wait out or a refusal of
 * the row itself.
 *
 * <p>An outage (retryable) is trouble with the connection or the server's state, which passes with
 * time: SQLState classes 08 (connection exception), 53 (insufficient resources), 57 (operator
 * intervention: shutdown, cancel), 40 (transaction rollback: serialization failure, deadlock),
 * {@code 55P03} (lock not available), and any error after which the connection is no longer valid.
 * Anything else refused the row's content (constraints, encodings, index limits, value ranges) and
 * fails the same way every time it is tried.
 *
 * @param sqlState the SQLState of the error that explains the failure, or null when there is none
 * @param message the server's message (with its detail line), on one line and without any password
 * @param retryable true for an outage, false for a refused row
 */
record SqlFailure(String sqlState, String message, boolean retryable) {

    /**
     * Classifies a failed write.
     *
     * @param connectionValid whether the connection still answered after the error; a connection
     *     that did not makes any error an outage
     */
    static SqlFailure of(SQLException error, boolean connectionValid) {
        boolean retryable = !connectionValid;
        for (SQLException e = error; e != null; e = e.getNextException()) {
            retryable |= isOutageState(e.getSQLState());
        }
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                retryable |= isOutageState(sql.getSQLState());
            }
        }
        // A batch error's own message quotes the whole statement with its values; the error behind
        // it is the one with the server's words and state.
        SQLException explaining = error;
        while (explaining instanceof BatchUpdateException
                && explaining.getNextException() != null) {
            explaining = explaining.getNextException();
        }
        String state =
                explaining.getSQLState() != null ? explaining.getSQLState() : error.getSQLState();
        return new SqlFailure(state, messageOf(explaining), retryable);
    }

    /** Whether a SQLState names trouble with the connection or the server rather than the row. */
    static boolean isOutageState(String sqlState) {
        if (sqlState == null || sqlState.length() < 2) {
            return false;
        }
        return switch (sqlState.substring(0, 2)) {
            case "08", "53", "57", "40" -> true;
            default -> sqlState.equals("55P03");
        };
    }

    /** The SQLState and message, as reasons and logs quote them. */
    String describe() {
        return sqlState == null ? message : sqlState + " " + message;
    }

    private static String messageOf(SQLException e) {
        String text = e.getMessage();
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            text =
                    server.getMessage()
                            + (server.getDetail() == null ? "" : " Detail: " + server.getDetail());
        }
        if (text == null) {
            text = e.getClass().getSimpleName();
        }
        // a JDBC URL in a driver's message may carry a password
        return Secrets.maskUrlPasswords(text.replaceAll("\\s*\\R\\s*", " ").trim());
    }
}
