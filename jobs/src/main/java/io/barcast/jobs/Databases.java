package io.barcast.jobs;

import io.barcast.connectors.jdbc.JdbcSinks;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InvalidOptionException;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.sql.SchemaMigrations;

/** The sink database the {@code jdbc.*} options name. */
public final class Databases {

    private Databases() {}

    public static JdbcSinks.Database of(BarcastConfig config) {
        if (!config.isSet(JdbcOptions.URL)) {
            throw new InvalidOptionException(
                    JdbcOptions.URL.key(), "is required to write to PostgreSQL");
        }
        return new JdbcSinks.Database(
                config.get(JdbcOptions.URL),
                config.get(JdbcOptions.USER),
                config.get(JdbcOptions.PASSWORD),
                config.get(JdbcOptions.BATCH_SIZE),
                config.get(JdbcOptions.BATCH_INTERVAL));
    }

    /** Applies the schema migrations when {@code jdbc.migrate} is on. */
    public static void migrate(BarcastConfig config) {
        if (config.get(JdbcOptions.MIGRATE)) {
            JdbcSinks.Database database = of(config);
            SchemaMigrations.migrate(database.url(), database.user(), database.password());
        }
    }
}
