package io.barcast.jobs.local;

import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;

/**
 * The query API beside a local job (the demo's): started on {@code api.port}, or on a free port
 * when that one is taken and was not asked for, with a key made for this run and revoked when it
 * stops, so a demo against a database of one's own leaves no valid key behind.
 */
public final class LocalApi implements AutoCloseable {

    private final ApiServer server;
    private final ApiKeys keys;
    private final ApiKeys.Created key;

    private LocalApi(ApiServer server, ApiKeys keys, ApiKeys.Created key) {
        this.server = server;
        this.keys = keys;
        this.key = key;
    }

    /**
     * @param portChosen whether the port was set explicitly (then a taken port is an error)
     */
    public static LocalApi start(ApiSettings settings, boolean portChosen) throws SQLException {
        ApiSettings actual =
                !portChosen && settings.port() != 0 && isTaken(settings)
                        ? settings.withPort(0)
                        : settings;
        ApiServer server = new ApiServer(actual).start();
        try {
            ApiKeys keys = new ApiKeys(server.context().db());
            ApiKeys.Created key = keys.create("demo-" + server.port(), Tier.ADMIN);
            return new LocalApi(server, keys, key);
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public String url() {
        return server.url();
    }

    /** The run's admin key, shown once to the person who started it. */
    public String key() {
        return key.secret();
    }

    @Override
    public void close() {
        try {
            keys.revoke(key.key().id());
        } catch (SQLException e) {
            // the database may be gone first (the demo's own); the key dies with it then
        } finally {
            server.close();
        }
    }

    private static boolean isTaken(ApiSettings settings) {
        try (ServerSocket probe =
                new ServerSocket(
                        settings.port(), 1, InetAddress.getByName(settings.bindAddress()))) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
