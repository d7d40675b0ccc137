package io.barcast.jobs.sql;

import io.barcast.core.Secrets;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings a PostgreSQL database to barcast's current schema with Flyway, from the numbered
 * migrations in {@code sql/postgres/} (packaged at {@value #DEFAULT_LOCATION}). Applying them to an
 * up-to-date database changes nothing.
 */
public final class SchemaMigrations {

    /** Where the packaged migrations live on the classpath. */
    public static final String DEFAULT_LOCATION = "classpath:db/migration";

    private SchemaMigrations() {}

    /**
     * Applies barcast's pending migrations.
     *
     * @return the number of migrations applied, 0 when the schema was current
     */
    public static int migrate(String jdbcUrl, String user, String password) {
        return migrate(jdbcUrl, user, password, DEFAULT_LOCATION);
    }

    /**
     * Applies the pending migrations found at Flyway locations such as {@code classpath:db/x} or
     * {@code filesystem:/path}.
     *
     * @return the number of migrations applied, 0 when the schema was current
     * @throws IllegalStateException when a migration fails; its message names the URL but never the
     *     password
     */
    public static int migrate(String jdbcUrl, String user, String password, String... locations) {
        try {
            return Flyway.configure()
                    .dataSource(jdbcUrl, user, password)
                    .locations(locations)
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            String message =
                    Secrets.maskUrlPasswords(
                            "Migrating " + jdbcUrl + " as " + user + " failed: " + e.getMessage());
            throw new IllegalStateException(Secrets.mask(message, password), e);
        }
    }
}
