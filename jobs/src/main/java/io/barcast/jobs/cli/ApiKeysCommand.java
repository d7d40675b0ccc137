package io.barcast.jobs.cli;

import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.Databases;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.JdbcOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code barcast api-keys create|list|revoke}: the query API's keys in the {@code jdbc.*} database.
 * A created key is printed once; barcast keeps only its hash.
 */
@Command(
        name = "api-keys",
        mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes the query API's keys (in jdbc.url).",
        subcommands = {
            ApiKeysCommand.Create.class,
            ApiKeysCommand.ListKeys.class,
            ApiKeysCommand.Revoke.class
        })
final class ApiKeysCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static ApiKeys keys(Settings settings) {
        BarcastConfig config = settings.resolveWithoutSource(Map.of());
        Databases.migrate(config);
        Databases.of(config);
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(config.get(JdbcOptions.URL));
        db.setUser(config.get(JdbcOptions.USER));
        db.setPassword(config.get(JdbcOptions.PASSWORD));
        return new ApiKeys(db);
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a key and prints it once (barcast stores only its hash).")
    static final class Create implements Callable<Integer> {
        @Option(
                names = "--tier",
                defaultValue = "default",
                description = "default, premium or admin (default: ${DEFAULT-VALUE}).")
        String tier;

        @Option(names = "--name", required = true, description = "Who holds it, e.g. bot1.")
        String name;

        @Mixin Settings settings;

        @Override
        public Integer call() throws Exception {
            ApiKeys.Created created = keys(settings).create(name, Tier.of(tier));
            PrintStream out = System.out;
            out.println("Created key " + created.key().id() + " (" + tier + ", " + name + "):");
            out.println(created.secret());
            out.println("It is shown only now: barcast keeps only its hash.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the keys.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin Settings settings;

        @Override
        public Integer call() throws Exception {
            List<ApiKey> all = keys(settings).list();
            TextTable table = new TextTable("ID", "NAME", "TIER", "CREATED", "REVOKED");
            for (ApiKey key : all) {
                table.row(
                        key.id(),
                        key.name(),
                        key.tier().label(),
                        key.createdAt().toString(),
                        key.revokedAt() == null ? "" : key.revokedAt().toString());
            }
            table.print(System.out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a key.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "KEY_ID", description = "The id 'list' shows.")
        String id;

        @Mixin Settings settings;

        @Override
        public Integer call() throws Exception {
            if (keys(settings).revoke(id)) {
                System.out.println("Revoked key " + id + ".");
                return 0;
            }
            System.err.println("barcast: no valid key with id " + id);
            return 1;
        }
    }
}
