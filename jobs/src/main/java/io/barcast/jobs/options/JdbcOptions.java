package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** The PostgreSQL database of the sink tables. */
public final class JdbcOptions {

    /** The environment variable that gives the password when {@code jdbc.password} is not set. */
    public static final String PASSWORD_ENV = "BARCAST_JDBC_PASSWORD";

    public static final ConfigOption<String> URL =
            key("jdbc.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "JDBC URL of PostgreSQL >= 14 (jdbc:postgresql://host:5432/db). The"
                                    + " demo starts an embedded PostgreSQL when this is not set.");

    public static final ConfigOption<String> USER =
            key("jdbc.user").stringType().defaultValue("").withDescription("Database user.");

    public static final ConfigOption<String> PASSWORD =
            key("jdbc.password")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Database password (never logged); better left unset and given in"
                                    + " the environment variable "
                                    + PASSWORD_ENV
                                    + ", which containers and Kubernetes Secrets provide.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            key("jdbc.batch-size")
                    .intType()
                    .defaultValue(500)
                    .withDescription("Rows per JDBC batch.");

    public static final ConfigOption<Duration> BATCH_INTERVAL =
            key("jdbc.batch-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Longest a row waits for its batch to fill.");

    public static final ConfigOption<Boolean> MIGRATE =
            key("jdbc.migrate")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Apply the schema migrations at start-up (Flyway).");

    private JdbcOptions() {}
}
