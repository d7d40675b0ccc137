package io.barcast.api.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * One event for one webhook, as the deliveries listing shows it.
 *
 * @param messageId the {@code webhook-id} header, the same on every attempt
 * @param state {@code pending} (not tried yet, or being sent), {@code delivered}, {@code failed}
 *     (the last attempt failed; another is due at {@code nextAttemptAt}) or {@code given_up}
 * @param lastStatus the HTTP status of the last attempt; null when none answered
 * @param lastError why the last attempt failed, or null
 * @param eventAt when the event was committed to its topic (the time of a test event)
 */
public record Delivery(
        UUID deliveryId,
        UUID webhookId,
        String messageId,
        String eventType,
        String state,
        int attempts,
        Integer lastStatus,
        Integer lastLatencyMs,
        String lastError,
        Instant nextAttemptAt,
        Instant eventAt,
        Instant createdAt,
        Instant deliveredAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String GIVEN_UP = "given_up";
}
