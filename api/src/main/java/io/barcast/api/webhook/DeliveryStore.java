package io.barcast.api.webhook;

import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.Cursor;
import io.barcast.api.http.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code webhook_deliveries} table: rows the dispatcher adds (a repeated row is ignored, so a
 * record read twice is delivered once), claims with a lease ({@code FOR UPDATE SKIP LOCKED}, so
 * instances never send the same row at once and a dead instance's rows come back when its lease
 * runs out), the outcome of each attempt, the listing, and the retention cleanup.
 */
public final class DeliveryStore {

    /** A delivery the dispatcher (or a test request) adds. */
    public record NewDelivery(
            UUID deliveryId, UUID webhookId, String eventType, String payload, Instant eventAt) {

        /** The {@code webhook-id} header: {@code msg_} and the delivery's id as hex. */
        public String messageId() {
            return "msg_" + deliveryId.toString().replace("-", "");
        }
    }

    /** A delivery a sender holds the lease of, with what it needs to send it. */
    public record Claimed(
            UUID deliveryId,
            UUID webhookId,
            String messageId,
            String payload,
            int attempt,
            Instant eventAt,
            String url,
            String secret) {

        @Override
        public String toString() {
            return "Claimed[" + messageId + " attempt " + attempt + "]";
        }
    }

    private static final int CLEANUP_BATCH = 10_000;
    private static final String COLUMNS =
            "delivery_id, webhook_id, message_id, event_type, state, attempts, last_status,"
                    + " last_latency_ms, last_error, next_attempt_at, event_at, created_at,"
                    + " delivered_at";

    private final DataSource db;

    public DeliveryStore(DataSource db) {
        this.db = db;
    }

    /**
     * Adds the deliveries in one transaction, due now; ones already there, and ones of a webhook
     * that is no longer enabled, are left out.
     */
    public int insert(List<NewDelivery> deliveries) throws SQLException {
        if (deliveries.isEmpty()) {
            return 0;
        }
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert =
                    connection.prepareStatement(
                            // only for a webhook still enabled: one disabled since its filter
                            // was read gets nothing that would wait for it forever
                            "INSERT INTO webhook_deliveries (delivery_id, webhook_id, message_id,"
                                    + " event_type, payload, event_at, next_attempt_at) SELECT ?,"
                                    + " w.webhook_id, ?, ?, ?, ?, now() FROM webhooks w WHERE"
                                    + " w.webhook_id = ? AND w.enabled ON CONFLICT DO NOTHING")) {
                insert.setQueryTimeout(WebhookStore.QUERY_TIMEOUT_SECONDS);
                for (NewDelivery delivery : deliveries) {
                    insert.setObject(1, delivery.deliveryId());
                    insert.setString(2, delivery.messageId());
                    insert.setString(3, delivery.eventType());
                    insert.setString(4, delivery.payload());
                    insert.setObject(5, delivery.eventAt().atOffset(ZoneOffset.UTC));
                    insert.setObject(6, delivery.webhookId());
                    insert.addBatch();
                }
                int added = 0;
                for (int count : insert.executeBatch()) {
                    added += Math.max(count, 0);
                }
                connection.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Takes up to {@code limit} due deliveries of enabled webhooks, oldest due first, leasing each
     * for {@code lease} and counting the attempt (an instance that dies mid-send has made it).
     */
    public List<Claimed> claim(int limit, Duration lease) throws SQLException {
        try (Connection connection = db.getConnection();
                PreparedStatement claim =
                        connection.prepareStatement(
                                "UPDATE webhook_deliveries d SET lease_until = now() +"
                                        + " make_interval(secs => ?), attempts = d.attempts + 1 FROM"
                                        + " webhooks w WHERE w.webhook_id = d.webhook_id AND"
                                        + " d.delivery_id IN (SELECT dd.delivery_id FROM"
                                        + " webhook_deliveries dd JOIN webhooks ww ON ww.webhook_id ="
                                        + " dd.webhook_id AND ww.enabled WHERE dd.state IN ('pending',"
                                        + " 'failed') AND dd.next_attempt_at <= now() AND"
                                        + " (dd.lease_until IS NULL OR dd.lease_until < now()) ORDER"
                                        + " BY dd.next_attempt_at LIMIT ? FOR UPDATE OF dd SKIP"
                                        + " LOCKED) RETURNING d.delivery_id, d.webhook_id,"
                                        + " d.message_id, d.payload, d.attempts, d.event_at, w.url,"
                                        + " w.secret")) {
            claim.setQueryTimeout(WebhookStore.QUERY_TIMEOUT_SECONDS);
            claim.setDouble(1, lease.toMillis() / 1000.0);
            claim.setInt(2, limit);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    claimed.add(
                            new Claimed(
                                    rs.getObject(1, UUID.class),
                                    rs.getObject(2, UUID.class),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getInt(5),
                                    WebhookStore.instant(rs, "event_at"),
                                    rs.getString(7),
                                    rs.getString(8)));
                }
            }
            return claimed;
        }
    }

    /**
     * How long until the next delivery of an enabled webhook may be claimed (due and not leased);
     * null when none is waiting.
     */
    public Duration nextDueIn() throws SQLException {
        try (Connection connection = db.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT EXTRACT(EPOCH FROM min(greatest(d.next_attempt_at,"
                                        + " coalesce(d.lease_until, d.next_attempt_at))) - now())"
                                        + " FROM webhook_deliveries d JOIN webhooks w ON"
                                        + " w.webhook_id = d.webhook_id AND w.enabled WHERE"
                                        + " d.state IN ('pending', 'failed')")) {
            select.setQueryTimeout(WebhookStore.QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                double seconds = rs.getDouble(1);
                return rs.wasNull() ? null : Duration.ofMillis((long) (seconds * 1000));
            }
        }
    }

    /** The attempt was answered with a 2xx: delivered, and its webhook is not failing. */
    public void delivered(Claimed delivery, int status, long latencyMs) throws SQLException {
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement update =
                        connection.prepareStatement(
                                "UPDATE webhook_deliveries SET state = 'delivered', delivered_at ="
                                        + " now(), next_attempt_at = NULL, lease_until = NULL,"
                                        + " last_status = ?, last_latency_ms = ?, last_error = NULL"
                                        + " WHERE delivery_id = ?")) {
                    update.setInt(1, status);
                    update.setInt(2, (int) Math.min(latencyMs, Integer.MAX_VALUE));
                    update.setObject(3, delivery.deliveryId());
                    update.executeUpdate();
                }
                try (PreparedStatement clear =
                        connection.prepareStatement(
                                "UPDATE webhooks SET failing_since = NULL WHERE webhook_id = ? AND"
                                        + " failing_since IS NOT NULL")) {
                    clear.setObject(1, delivery.webhookId());
                    clear.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * The attempt failed. {@code retryIn} null: given up; else due again then. The webhook is
     * disabled (with an alert) when {@code disableReason} is given, or when it has been failing for
     * {@code disableAfter}. Returns true when this call disabled it.
     */
    public boolean failed(
            Claimed delivery,
            Integer status,
            long latencyMs,
            String error,
            Duration retryIn,
            String disableReason,
            Duration disableAfter)
            throws SQLException {
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement update =
                        connection.prepareStatement(
                                "UPDATE webhook_deliveries SET state = ?, next_attempt_at = now() +"
                                        + " make_interval(secs => ?), lease_until = NULL,"
                                        + " last_status = ?, last_latency_ms = ?, last_error = ?"
                                        + " WHERE delivery_id = ?")) {
                    update.setString(1, retryIn == null ? Delivery.GIVEN_UP : Delivery.FAILED);
                    if (retryIn == null) {
                        update.setNull(2, java.sql.Types.DOUBLE);
                    } else {
                        update.setDouble(2, retryIn.toMillis() / 1000.0);
                    }
                    update.setObject(3, status);
                    update.setInt(4, (int) Math.min(latencyMs, Integer.MAX_VALUE));
                    update.setString(5, error);
                    update.setObject(6, delivery.deliveryId());
                    update.executeUpdate();
                }
                String reason = disableReason;
                try (PreparedStatement failing =
                        connection.prepareStatement(
                                "UPDATE webhooks SET failing_since = coalesce(failing_since,"
                                        + " now()) WHERE webhook_id = ? RETURNING failing_since <="
                                        + " now() - make_interval(secs => ?)")) {
                    failing.setObject(1, delivery.webhookId());
                    failing.setDouble(2, disableAfter.toMillis() / 1000.0);
                    try (ResultSet rs = failing.executeQuery()) {
                        if (reason == null && rs.next() && rs.getBoolean(1)) {
                            reason = "every attempt failed for " + disableAfter + " or longer";
                        }
                    }
                }
                boolean disabled =
                        reason != null
                                && WebhookStore.disable(connection, delivery.webhookId(), reason);
                connection.commit();
                return disabled;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** A webhook's deliveries, newest first; {@code state} null for all. */
    public Page<Delivery> list(UUID webhookId, String state, int limit, Cursor after)
            throws SQLException {
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM webhook_deliveries WHERE webhook_id = ?"
                        + (state == null ? "" : " AND state = ?")
                        + (after == null ? "" : " AND (created_at, delivery_id) < (?, ?)")
                        + " ORDER BY created_at DESC, delivery_id DESC LIMIT ?";
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setQueryTimeout(WebhookStore.QUERY_TIMEOUT_SECONDS);
            int i = 1;
            select.setObject(i++, webhookId);
            if (state != null) {
                select.setString(i++, state);
            }
            if (after != null) {
                select.setObject(i++, after.time().atOffset(ZoneOffset.UTC));
                select.setObject(i++, after.id());
            }
            select.setInt(i, limit + 1);
            List<Delivery> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return Page.of(rows, limit, d -> new Cursor(d.createdAt(), d.deliveryId()));
        }
    }

    /** Deletes the deliveries made longer ago than {@code retention}; how many. */
    public long deleteOlderThan(Duration retention) throws SQLException {
        long deleted = 0;
        try (Connection connection = db.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement(
                                "DELETE FROM webhook_deliveries WHERE delivery_id IN (SELECT"
                                        + " delivery_id FROM webhook_deliveries WHERE created_at <"
                                        + " now() - make_interval(secs => ?) LIMIT ?)")) {
            delete.setQueryTimeout(WebhookStore.QUERY_TIMEOUT_SECONDS);
            delete.setDouble(1, retention.toMillis() / 1000.0);
            delete.setInt(2, CLEANUP_BATCH);
            int batch;
            do {
                batch = delete.executeUpdate();
                deleted += batch;
            } while (batch == CLEANUP_BATCH);
        }
        return deleted;
    }

    /** Deliveries waiting for an attempt (not yet tried, or to be retried). */
    public long backlog() throws SQLException {
        try (Connection connection = db.getConnection();
                PreparedStatement count =
                        connection.prepareStatement(
                                "SELECT count(*) FROM webhook_deliveries WHERE state IN"
                                        + " ('pending', 'failed')")) {
            count.setQueryTimeout(WebhookStore.QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        try {
            return db.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw ApiProblem.unavailable("the database is not reachable; retry later");
        }
    }

    private static Delivery read(ResultSet rs) throws SQLException {
        int status = rs.getInt("last_status");
        Integer lastStatus = rs.wasNull() ? null : status;
        int latency = rs.getInt("last_latency_ms");
        Integer lastLatency = rs.wasNull() ? null : latency;
        return new Delivery(
                rs.getObject("delivery_id", UUID.class),
                rs.getObject("webhook_id", UUID.class),
                rs.getString("message_id"),
                rs.getString("event_type"),
                rs.getString("state"),
                rs.getInt("attempts"),
                lastStatus,
                lastLatency,
                rs.getString("last_error"),
                WebhookStore.instant(rs, "next_attempt_at"),
                WebhookStore.instant(rs, "event_at"),
                WebhookStore.instant(rs, "created_at"),
                WebhookStore.instant(rs, "delivered_at"));
    }
}
