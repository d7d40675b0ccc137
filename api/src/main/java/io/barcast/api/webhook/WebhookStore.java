package io.barcast.api.webhook;

import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import io.barcast.api.push.EventKind;
import io.barcast.core.Alert;
import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code webhooks} table: a key's webhooks (an admin key sees every key's), the enabled ones
 * for the dispatcher, and disabling one with an alert. A webhook another key owns is answered as
 * missing, so ids cannot be probed.
 */
public final class WebhookStore {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookStore.class);

    static final int QUERY_TIMEOUT_SECONDS = 30;

    /** Every column but the secret. */
    private static final String COLUMNS =
            "webhook_id, key_id, url, event_types, symbols, min_confidence, min_severity,"
                    + " description, enabled, created_at, updated_at, disabled_reason, disabled_at,"
                    + " failing_since";

    private final DataSource db;

    public WebhookStore(DataSource db) {
        this.db = db;
    }

    /** What a webhook is set to: checked by the routes before it gets here. */
    public record Spec(
            String url,
            List<String> eventTypes,
            List<String> symbols,
            Double minConfidence,
            String minSeverity,
            String description,
            boolean enabled) {}

    /** Creates a webhook owned by {@code owner}; 409 when the key has {@code maxPerKey} already. */
    public Webhook create(ApiKey owner, Spec spec, int maxPerKey) throws SQLException {
        String secret = WebhookSignature.newSecret();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                // the key's row is the lock that keeps two creates from both passing the count
                try (PreparedStatement lock =
                        connection.prepareStatement(
                                "SELECT key_id FROM api_keys WHERE key_id = ? FOR UPDATE")) {
                    lock.setString(1, owner.id());
                    lock.executeQuery().close();
                }
                try (PreparedStatement count =
                        connection.prepareStatement(
                                "SELECT count(*) FROM webhooks WHERE key_id = ?")) {
                    count.setString(1, owner.id());
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= maxPerKey) {
                            throw ApiProblem.conflict(
                                    "the key "
                                            + owner.id()
                                            + " has "
                                            + rs.getLong(1)
                                            + " webhooks, the most it may have"
                                            + " (api.webhooks.max-per-key); delete one first");
                        }
                    }
                }
                Webhook created;
                try (PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO webhooks (webhook_id, key_id, url, secret, event_types,"
                                        + " symbols, min_confidence, min_severity, description,"
                                        + " enabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                        + " RETURNING "
                                        + COLUMNS)) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, owner.id());
                    insert.setString(3, spec.url());
                    insert.setString(4, secret);
                    insert.setBoolean(bindSpecFrom(insert, 5, spec), spec.enabled());
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        created = read(rs, secret);
                    }
                }
                connection.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The webhook, when {@code caller} may see it. */
    public Optional<Webhook> find(UUID id, ApiKey caller) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM webhooks WHERE webhook_id = ? AND (key_id = ? OR"
                                        + " ?)")) {
            select.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            select.setObject(1, id);
            select.setString(2, caller.id());
            select.setBoolean(3, caller.tier() == Tier.ADMIN);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, null)) : Optional.empty();
            }
        }
    }

    /** The caller's webhooks (every key's for an admin key), newest first. */
    public Page<Webhook> list(ApiKey caller, int limit, Cursor after) throws SQLException {
        boolean admin = caller.tier() == Tier.ADMIN;
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM webhooks WHERE (key_id = ? OR ?)"
                        + (after == null ? "" : " AND (created_at, webhook_id) < (?, ?)")
                        + " ORDER BY created_at DESC, webhook_id DESC LIMIT ?";
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            int i = 1;
            select.setString(i++, caller.id());
            select.setBoolean(i++, admin);
            if (after != null) {
                select.setObject(i++, after.time().atOffset(ZoneOffset.UTC));
                select.setObject(i++, after.id());
            }
            select.setInt(i, limit + 1);
            List<Webhook> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs, null));
                }
            }
            return Page.of(rows, limit, w -> new Cursor(w.createdAt(), w.webhookId()));
        }
    }

    /**
     * Sets the webhook to {@code spec}; turning a disabled one on again clears why it was disabled
     * and since when it was failing. Empty when the caller may not see it.
     */
    public Optional<Webhook> update(UUID id, ApiKey caller, Spec spec) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement update =
                        connection.prepareStatement(
                                "UPDATE webhooks SET event_types = ?, symbols = ?,"
                                        + " min_confidence = ?, min_severity = ?, description = ?,"
                                        + " enabled = ?, url = ?, updated_at = now(),"
                                        + " failing_since = CASE WHEN NOT enabled AND ? THEN NULL"
                                        + " ELSE failing_since END,"
                                        + " disabled_reason = CASE WHEN ? THEN NULL ELSE"
                                        + " disabled_reason END,"
                                        + " disabled_at = CASE WHEN ? THEN NULL ELSE disabled_at"
                                        + " END"
                                        + " WHERE webhook_id = ? AND (key_id = ? OR ?) RETURNING "
                                        + COLUMNS)) {
            update.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            int i = bindSpecFrom(update, 1, spec);
            update.setBoolean(i++, spec.enabled());
            update.setString(i++, spec.url());
            update.setBoolean(i++, spec.enabled());
            update.setBoolean(i++, spec.enabled());
            update.setBoolean(i++, spec.enabled());
            update.setObject(i++, id);
            update.setString(i++, caller.id());
            update.setBoolean(i, caller.tier() == Tier.ADMIN);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, null)) : Optional.empty();
            }
        }
    }

    /** Deletes the webhook and its deliveries; false when the caller may not see it. */
    public boolean delete(UUID id, ApiKey caller) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement delete =
                        connection.prepareStatement(
                                "DELETE FROM webhooks WHERE webhook_id = ? AND (key_id = ? OR ?)")) {
            delete.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            delete.setObject(1, id);
            delete.setString(2, caller.id());
            delete.setBoolean(3, caller.tier() == Tier.ADMIN);
            return delete.executeUpdate() == 1;
        }
    }

    /** What every enabled webhook wants, for the dispatcher. */
    public List<WebhookFilter> enabledFilters() throws SQLException {
        try (Connection connection = db.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT webhook_id, event_types, symbols, min_confidence,"
                                        + " min_severity FROM webhooks WHERE enabled")) {
            select.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            List<WebhookFilter> filters = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
                    for (String label : strings(rs, "event_types")) {
                        kinds.add(EventKind.of(label));
                    }
                    double confidence = rs.getDouble("min_confidence");
                    filters.add(
                            new WebhookFilter(
                                    rs.getObject("webhook_id", UUID.class),
                                    kinds,
                                    Set.copyOf(strings(rs, "symbols")),
                                    rs.wasNull() ? null : confidence,
                                    rs.getString("min_severity")));
                }
            }
            return filters;
        }
    }

    /**
     * Disables the webhook (if still enabled), gives up its unfinished deliveries, and raises an
     * alert that {@code /api/v1/alerts} shows (category {@code webhook}); in {@code connection}'s
     * transaction. True when this call disabled it.
     */
    static boolean disable(Connection connection, UUID id, String reason) throws SQLException {
        String keyId;
        String url;
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE webhooks SET enabled = false, disabled_reason = ?, disabled_at ="
                                + " now() WHERE webhook_id = ? AND enabled RETURNING key_id,"
                                + " url")) {
            update.setString(1, reason);
            update.setObject(2, id);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                keyId = rs.getString(1);
                url = rs.getString(2);
            }
        }
        try (PreparedStatement giveUp =
                connection.prepareStatement(
                        "UPDATE webhook_deliveries SET state = 'given_up', next_attempt_at = NULL,"
                                + " lease_until = NULL, last_error = coalesce(last_error || '; ',"
                                + " '') || 'the webhook was disabled' WHERE webhook_id = ? AND"
                                + " state IN ('pending', 'failed')")) {
            giveUp.setObject(1, id);
            giveUp.executeUpdate();
        }
        long now = System.currentTimeMillis();
        String message =
                "webhook "
                        + id
                        + " of key "
                        + keyId
                        + " was disabled: "
                        + reason
                        + "; its owner can turn it on again with PATCH enabled=true";
        Alert alert = Alert.of(Alert.WARNING, Alert.WEBHOOK, "", message, id + "\u0000" + now, now);
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO alerts (alert_id, severity, category, symbol, message,"
                                + " raised_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO"
                                + " NOTHING")) {
            insert.setObject(1, UUID.fromString(alert.id()));
            insert.setString(2, alert.severity());
            insert.setString(3, alert.category());
            insert.setString(4, alert.symbol());
            insert.setString(5, alert.message());
            insert.setTimestamp(6, new Timestamp(now));
            insert.executeUpdate();
        }
        // the host only: a URL's path or query may hold a token of the receiver's
        LOG.warn("{} (host {})", message, hostOf(url));
        return true;
    }

    static String hostOf(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    private Connection connect() throws SQLException {
        try {
            return db.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw ApiProblem.unavailable("the database is not reachable; retry later");
        }
    }

    /** Binds event types, symbols, min confidence, min severity, description; the next index. */
    private static int bindSpecFrom(PreparedStatement statement, int from, Spec spec)
            throws SQLException {
        Connection connection = statement.getConnection();
        int i = from;
        statement.setArray(i++, connection.createArrayOf("text", spec.eventTypes().toArray()));
        statement.setArray(i++, connection.createArrayOf("text", spec.symbols().toArray()));
        statement.setObject(i++, spec.minConfidence());
        statement.setString(i++, spec.minSeverity());
        statement.setString(i++, spec.description());
        return i;
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Webhook read(ResultSet rs, String secret) throws SQLException {
        double confidence = rs.getDouble("min_confidence");
        Double minConfidence = rs.wasNull() ? null : confidence;
        return new Webhook(
                rs.getObject("webhook_id", UUID.class),
                rs.getString("key_id"),
                rs.getString("url"),
                List.copyOf(new LinkedHashSet<>(strings(rs, "event_types"))),
                strings(rs, "symbols"),
                minConfidence,
                rs.getString("min_severity"),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                rs.getString("disabled_reason"),
                instant(rs, "disabled_at"),
                instant(rs, "failing_since"),
                secret);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
