package io.barcast.jobs.testing;

import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.sql.SchemaMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, migrated PostgreSQL database for one test class, dropped after it.
 *
 * <pre>{@code @RegisterExtension static final TestDatabase DB = new TestDatabase();}</pre>
 *
 * <p>The server is the one named by {@code BARCAST_TEST_JDBC_URL} (with {@code
 * BARCAST_TEST_JDBC_USER} and {@code BARCAST_TEST_JDBC_PASSWORD}, defaulting to {@code postgres}
 * and no password) when that is set, else an embedded server shared by every test class in the JVM
 * and stopped when the JVM exits. The URL's user must be allowed to create databases.
 *
 * <p>Outside JUnit, {@link #open()} and {@link #close()} do the same.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    static final String URL_VARIABLE = "BARCAST_TEST_JDBC_URL";
    static final String USER_VARIABLE = "BARCAST_TEST_JDBC_USER";
    static final String PASSWORD_VARIABLE = "BARCAST_TEST_JDBC_PASSWORD";

    private static final Pattern POSTGRES_URL =
            Pattern.compile("(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?");

    private static Server sharedEmbedded;

    private final String[] migrationLocations;
    private Server server;
    private String databaseName;
    private int openCount;

    /** A database with barcast's schema. */
    public TestDatabase() {
        this(SchemaMigrations.DEFAULT_LOCATION);
    }

    /** A database migrated from other Flyway locations. */
    public TestDatabase(String... migrationLocations) {
        this.migrationLocations = migrationLocations.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Creates and migrates the database. Nested test classes see their outer class's database, so
     * only the outermost open creates one.
     */
    public synchronized void open() {
        if (openCount++ > 0) {
            return;
        }
        server = server();
        databaseName = "barcast_test_" + UUID.randomUUID().toString().replace("-", "");
        server.execute("CREATE DATABASE " + databaseName);
        try {
            SchemaMigrations.migrate(url(), user(), password(), migrationLocations);
        } catch (RuntimeException e) {
            drop();
            throw e;
        }
    }

    /** Drops the database, closing any connection still open to it. */
    @Override
    public synchronized void close() {
        if (openCount == 0 || --openCount > 0) {
            return;
        }
        drop();
    }

    private void drop() {
        // FORCE (PostgreSQL 13+) ends the connections a job under test may have left open.
        server.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
        databaseName = null;
        openCount = 0;
    }

    /** The JDBC URL of this class's database. */
    public String url() {
        return server().urlOf(databaseName());
    }

    public String user() {
        return server().user;
    }

    public String password() {
        return server().password;
    }

    /** The name of this class's database, unique per test class. */
    public synchronized String databaseName() {
        if (databaseName == null) {
            throw new IllegalStateException(
                    "The test database is not open: register TestDatabase on a static field with"
                            + " @RegisterExtension");
        }
        return databaseName;
    }

    /** A new connection to this class's database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** Runs a query and returns its rows, each a map from column label to value, in order. */
    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection connection = connect();
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.put(meta.getColumnLabel(column), rows.getObject(column));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** Runs a query whose single row and column is a number, e.g. {@code SELECT count(*) ...}. */
    public long count(String sqlCountQuery, Object... args) {
        try (Connection connection = connect();
                PreparedStatement statement = prepare(connection, sqlCountQuery, args);
                ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new IllegalStateException("Count query returned no row: " + sqlCountQuery);
            }
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sqlCountQuery, e);
        }
    }

    /** Runs a statement that returns no rows, e.g. an insert; returns the update count. */
    public int execute(String sql, Object... args) {
        try (Connection connection = connect();
                PreparedStatement statement = prepare(connection, sql, args)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed: " + sql, e);
        }
    }

    /** Empties every table in the {@code public} schema except Flyway's history. */
    public void truncateAll() {
        List<String> tables = new ArrayList<>();
        for (Map<String, Object> row :
                query(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                                + " AND tablename <> 'flyway_schema_history'")) {
            tables.add("public.\"" + row.get("tablename") + "\"");
        }
        if (!tables.isEmpty()) {
            execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    private synchronized Server server() {
        if (server == null) {
            server = chooseServer();
        }
        return server;
    }

    private static Server chooseServer() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            String user = System.getenv().getOrDefault(USER_VARIABLE, "postgres");
            String password = System.getenv().getOrDefault(PASSWORD_VARIABLE, "");
            return new Server(url.trim(), user, password);
        }
        return sharedEmbedded();
    }

    private static synchronized Server sharedEmbedded() {
        if (sharedEmbedded == null) {
            LocalPostgres postgres = LocalPostgres.start(null, 0);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(postgres::close, "test-postgres-shutdown"));
            sharedEmbedded =
                    new Server(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
        }
        return sharedEmbedded;
    }

    /** A server reached through an administrative URL, in which test databases are made. */
    private static final class Server {
        final String adminUrl;
        final String user;
        final String password;

        Server(String adminUrl, String user, String password) {
            if (!POSTGRES_URL.matcher(adminUrl).matches()) {
                throw new IllegalArgumentException(
                        URL_VARIABLE
                                + " must be a jdbc:postgresql://host[:port][/database][?params]"
                                + " URL");
            }
            this.adminUrl = adminUrl;
            this.user = user;
            this.password = password;
        }

        /** The admin URL with its database replaced, keeping its parameters. */
        String urlOf(String database) {
            Matcher m = POSTGRES_URL.matcher(adminUrl);
            if (!m.matches()) {
                throw new IllegalStateException("Unexpected URL form");
            }
            return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
        }

        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                // Only the host part: the URL's parameters may hold a password.
                Matcher m = POSTGRES_URL.matcher(adminUrl);
                String server = m.matches() ? m.group(1) : "the test server";
                throw new IllegalStateException(
                        "'" + sql + "' failed on " + server + ": " + e.getMessage(), e);
            }
        }
    }
}
