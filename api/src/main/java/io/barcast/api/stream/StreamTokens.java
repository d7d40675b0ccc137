package io.barcast.api.stream;

import io.barcast.api.ApiService;
import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.QueryTokens;
import io.barcast.core.DaemonThreads;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream tokens ({@code stream_tokens}): short-lived stand-ins for a key in a stream's URL, for
 * browsers. A token is {@code st_} and 256 random bits; only its SHA-256 is stored, with the id of
 * the key it stands for and when it expires. Looking one up joins the key, so a revoked key's
 * tokens stop working at once. Expired rows are deleted every minute.
 */
public final class StreamTokens implements QueryTokens, ApiService {

    private static final Logger LOG = LoggerFactory.getLogger(StreamTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "st_";
    private static final Duration CLEAN_EVERY = Duration.ofMinutes(1);
    private static final int CLEAN_BATCH = 1_000;

    private final DataSource db;
    private final Duration lifetime;
    private ScheduledExecutorService cleaner;

    public StreamTokens(DataSource db, Duration lifetime) {
        this.db = db;
        this.lifetime = lifetime;
    }

    /** An issued token: the only time the token itself exists outside its holder's hands. */
    public record Issued(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[expires " + expiresAt + "]";
        }
    }

    public Issued issue(ApiKey key) throws SQLException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try (Connection c = db.getConnection();
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO stream_tokens (token_hash, key_id, expires_at) VALUES"
                                        + " (?, ?, now() + ? * interval '1 millisecond')"
                                        + " RETURNING expires_at")) {
            insert.setString(1, ApiKeys.hash(token));
            insert.setString(2, key.id());
            insert.setLong(3, lifetime.toMillis());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return new Issued(token, rows.getTimestamp(1).toInstant());
            }
        }
    }

    @Override
    public Optional<ApiKey> keyOf(String token) throws SQLException {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement select =
                        c.prepareStatement(
                                "SELECT k.key_id, k.name, k.tier, k.created_at, k.revoked_at"
                                        + " FROM stream_tokens t JOIN api_keys k USING (key_id)"
                                        + " WHERE t.token_hash = ? AND t.expires_at > now()")) {
            select.setString(1, ApiKeys.hash(token));
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(ApiKeys.read(rows));
            }
        }
    }

    /** The ids among {@code keyIds} whose keys are revoked (or gone). */
    public Set<String> revokedAmong(Set<String> keyIds) {
        Set<String> revoked = new HashSet<>(keyIds);
        try (Connection c = db.getConnection();
                PreparedStatement select =
                        c.prepareStatement(
                                "SELECT key_id FROM api_keys WHERE key_id = ANY (?) AND revoked_at"
                                        + " IS NULL")) {
            Array ids = c.createArrayOf("text", keyIds.toArray());
            select.setArray(1, ids);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    revoked.remove(rows.getString(1));
                }
            }
            return revoked;
        } catch (SQLException e) {
            // the database is away: open streams go on; the next look decides
            return Set.of();
        }
    }

    /** Deletes expired tokens; returns how many. Safe on every instance at once. */
    public int removeExpired() throws SQLException {
        int removed = 0;
        int batch;
        try (Connection c = db.getConnection();
                PreparedStatement delete =
                        c.prepareStatement(
                                "DELETE FROM stream_tokens WHERE token_hash IN (SELECT token_hash"
                                        + " FROM stream_tokens WHERE expires_at <= now() LIMIT ?"
                                        + " FOR UPDATE SKIP LOCKED)")) {
            delete.setInt(1, CLEAN_BATCH);
            do {
                batch = delete.executeUpdate();
                removed += batch;
            } while (batch == CLEAN_BATCH);
        }
        return removed;
    }

    @Override
    public synchronized void start() {
        if (cleaner != null) {
            return;
        }
        cleaner =
                DaemonThreads.every(
                        CLEAN_EVERY, "barcast-stream-token-cleaner", this::cleanQuietly);
    }

    private void cleanQuietly() {
        try {
            removeExpired();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Removing expired stream tokens failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (cleaner != null) {
            cleaner.shutdownNow();
            cleaner = null;
        }
    }
}
