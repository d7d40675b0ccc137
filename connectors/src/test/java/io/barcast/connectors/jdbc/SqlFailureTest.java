package io.barcast.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class SqlFailureTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "08000",
                "08001",
                "08006", // connection exceptions
                "53100",
                "53200",
                "53300", // disk full, out of memory, too many connections
                "57P01",
                "57P03",
                "57014", // admin shutdown, cannot connect now, query canceled
                "40001",
                "40P01", // serialization failure, deadlock
                "55P03" // lock not available
            })
    void connectionAndServerStateErrorsAreOutagesToRetry(String state) {
        assertThat(SqlFailure.of(new SQLException("trouble", state), true).retryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "23514", // check violation
                "23505", // unique violation
                "22021", // NUL in text: invalid byte sequence
                "54000", // index row over the btree entry limit
                "22008", // timestamp out of range
                "22P02", // invalid text representation (a bad uuid)
                "55000", // object not in prerequisite state: only 55P03 waits out
                "42P01" // undefined table
            })
    void errorsAboutTheRowAreRefusals(String state) {
        assertThat(SqlFailure.of(new SQLException("refused", state), true).retryable()).isFalse();
    }

    @Test
    void anErrorWithoutStateIsARefusalWhileTheConnectionIsValid() {
        assertThat(SqlFailure.of(new SQLException("odd"), true).retryable()).isFalse();
    }

    @Test
    void anyErrorAfterWhichTheConnectionIsNoLongerValidIsAnOutage() {
        assertThat(SqlFailure.of(new SQLException("refused", "23514"), false).retryable()).isTrue();
    }

    @Test
    void aFailedBatchIsExplainedByTheErrorBehindIt() {
        BatchUpdateException batch =
                new BatchUpdateException(
                        "Batch entry 3 INSERT INTO bars VALUES ('secret-values') was aborted",
                        "22021",
                        0,
                        new int[0]);
        batch.setNextException(
                new PSQLException(
                        new ServerErrorMessage(
                                "SERROR\u0000C22021\u0000Minvalid byte sequence for encoding"
                                        + " \"UTF8\": 0x00\u0000")));

        SqlFailure failure = SqlFailure.of(batch, true);

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.sqlState()).isEqualTo("22021");
        assertThat(failure.describe())
                .isEqualTo("22021 invalid byte sequence for encoding \"UTF8\": 0x00");
    }

    @Test
    void aBatchThatFailedOnADeadlockIsAnOutage() {
        BatchUpdateException batch =
                new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0]);
        batch.setNextException(new SQLException("deadlock detected", "40P01"));

        assertThat(SqlFailure.of(batch, true).retryable()).isTrue();
    }

    @Test
    void theServersDetailIsKeptOnOneLine() {
        PSQLException check =
                new PSQLException(
                        new ServerErrorMessage(
                                "SERROR\u0000C23514\u0000Mnew row for relation \"bars\" violates"
                                        + " check constraint \"positive\"\u0000DFailing row"
                                        + " contains (X, -1).\u0000"));

        assertThat(SqlFailure.of(check, true).describe())
                .isEqualTo(
                        "23514 new row for relation \"bars\" violates check constraint"
                                + " \"positive\" Detail: Failing row contains (X, -1).");
    }

    @Test
    void aPasswordInAJdbcUrlNeverReachesTheMessage() {
        SQLException noDriver =
                new SQLException(
                        "No suitable driver found for"
                                + " jdbc:postgresql://db/barcast?user=x&password=hunter2",
                        "08001");

        SqlFailure failure = SqlFailure.of(noDriver, true);

        assertThat(failure.message()).doesNotContain("hunter2").contains("password=***");
        assertThat(failure.retryable()).isTrue();
    }
}
