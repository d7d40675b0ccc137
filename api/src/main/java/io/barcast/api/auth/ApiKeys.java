package io.barcast.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The API keys in PostgreSQL ({@code api_keys}). A key is {@code bk_<id>_<secret>}: the id names it
 * in logs and listings, the 256-bit secret makes it unguessable. Only the SHA-256 of the whole key
 * is stored: a slow password hash buys nothing against a random 256-bit secret, and a fast one
 * keeps the check off every request's latency.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "bk_";

    private final DataSource db;

    public ApiKeys(DataSource db) {
        this.db = db;
    }

    /** A created key: the only time the key itself exists outside its holder's hands. */
    public record Created(ApiKey key, String secret) {
        @Override
        public String toString() {
            return "Created[" + key + "]";
        }
    }

    public Created create(String name, Tier tier) throws SQLException {
        if (tier == Tier.PUBLIC) {
            throw new IllegalArgumentException("a key's tier is default, premium or admin");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a key's name is 1 to 100 characters");
        }
        String id = HexFormat.of().formatHex(randomBytes(6));
        String key =
                PREFIX
                        + id
                        + "_"
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        try (Connection c = db.getConnection();
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO api_keys (key_id, key_hash, name, tier) VALUES (?, ?,"
                                        + " ?, ?) RETURNING created_at")) {
            insert.setString(1, id);
            insert.setString(2, hash(key));
            insert.setString(3, name.strip());
            insert.setString(4, tier.label());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return new Created(
                        new ApiKey(id, name.strip(), tier, rows.getTimestamp(1).toInstant(), null),
                        key);
            }
        }
    }

    /** The key a client presented, revoked or not; empty when barcast never issued it. */
    public Optional<ApiKey> find(String presented) throws SQLException {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement select =
                        c.prepareStatement(
                                "SELECT key_id, name, tier, created_at, revoked_at FROM api_keys"
                                        + " WHERE key_hash = ?")) {
            select.setString(1, hash(presented));
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    public List<ApiKey> list() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement select =
                        c.prepareStatement(
                                "SELECT key_id, name, tier, created_at, revoked_at FROM api_keys"
                                        + " ORDER BY created_at, key_id");
                ResultSet rows = select.executeQuery()) {
            List<ApiKey> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(read(rows));
            }
            return keys;
        }
    }

    /** Revokes the key with this id; false when there is none or it was revoked already. */
    public boolean revoke(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement update =
                        c.prepareStatement(
                                "UPDATE api_keys SET revoked_at = now() WHERE key_id = ? AND"
                                        + " revoked_at IS NULL")) {
            update.setString(1, id);
            return update.executeUpdate() == 1;
        }
    }

    /**
     * The key of a row whose first five columns are {@code key_id, name, tier, created_at,
     * revoked_at}.
     */
    public static ApiKey read(ResultSet rows) throws SQLException {
        Timestamp revoked = rows.getTimestamp(5);
        return new ApiKey(
                rows.getString(1),
                rows.getString(2),
                Tier.of(rows.getString(3)),
                rows.getTimestamp(4).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }

    /** The SHA-256 (hex) of a secret, as the tables keep it. */
    public static String hash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
