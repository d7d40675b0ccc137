package io.barcast.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.jobs.sql.SchemaMigrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresITCase {

    private static final String TEST_MIGRATIONS = "classpath:db/testmigration";

    private static LocalPostgres postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = LocalPostgres.start(null, 0);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void jdbcUrlPointsAtTheBarcastDatabase() throws SQLException {
        assertThat(postgres.jdbcUrl()).endsWith(":" + postgres.port() + "/barcast");
        assertThat(single(postgres.jdbcUrl(), "SELECT current_database()")).isEqualTo("barcast");
    }

    @Test
    void migrateAppliesPendingMigrationsOnceInOrder() throws SQLException {
        String url = createDatabase("migrate_once");

        int first =
                SchemaMigrations.migrate(
                        url, postgres.user(), postgres.password(), TEST_MIGRATIONS);
        int second =
                SchemaMigrations.migrate(
                        url, postgres.user(), postgres.password(), TEST_MIGRATIONS);

        assertThat(first).isEqualTo(2);
        assertThat(second).isZero();
        assertThat(
                        rows(
                                url,
                                "SELECT column_name FROM information_schema.columns"
                                        + " WHERE table_name = 'widget' ORDER BY ordinal_position"))
                .containsExactly("id", "name", "color");
        assertThat(
                        rows(
                                url,
                                "SELECT version FROM flyway_schema_history WHERE success"
                                        + " ORDER BY installed_rank"))
                .containsExactly("1", "2");
    }

    @Test
    void failedMigrationNamesTheUrlButNotThePassword() {
        String url = postgres.jdbcUrl("no_such_database") + "?password=url-secret";

        assertThatThrownBy(
                        () ->
                                SchemaMigrations.migrate(
                                        url, postgres.user(), "arg-secret", TEST_MIGRATIONS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(postgres.jdbcUrl("no_such_database"))
                .hasMessageNotContaining("url-secret")
                .hasMessageNotContaining("arg-secret");
    }

    @Test
    void restartOnAGivenDataDirKeepsTheData(@TempDir Path dir) throws SQLException {
        try (LocalPostgres first = LocalPostgres.start(dir, 0)) {
            execute(first.jdbcUrl(), "CREATE TABLE kept (v TEXT)", "INSERT INTO kept VALUES ('x')");
        }
        try (LocalPostgres second = LocalPostgres.start(dir, 0)) {
            assertThat(rows(second.jdbcUrl(), "SELECT v FROM kept")).containsExactly("x");
        }
    }

    private static String createDatabase(String name) throws SQLException {
        execute(postgres.jdbcUrl("postgres"), "CREATE DATABASE " + name);
        return postgres.jdbcUrl(name);
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(url, postgres.user(), postgres.password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String single(String url, String sql) throws SQLException {
        List<String> rows = rows(url, sql);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static List<String> rows(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection =
                        DriverManager.getConnection(url, postgres.user(), postgres.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
