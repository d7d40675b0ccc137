package io.barcast.api.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook as the API shows it. The secret is only filled in the answer that created it; every
 * other answer leaves it out.
 *
 * @param keyId the API key that owns it
 * @param eventTypes labels of {@link io.barcast.api.push.EventKind}
 * @param symbols only events of these symbols; empty: every symbol
 * @param minConfidence predictions, model updates and recommendations below it are not sent; null:
 *     all
 * @param minSeverity alerts below it are not sent; null: all
 * @param disabledReason why barcast disabled it (410 Gone, failing for too long), or null
 * @param failingSince the first failed attempt since its last success, or null
 */
public record Webhook(
        UUID webhookId,
        String keyId,
        String url,
        List<String> eventTypes,
        List<String> symbols,
        Double minConfidence,
        String minSeverity,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        String disabledReason,
        Instant disabledAt,
        Instant failingSince,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    /** Never the secret: a webhook may end up in a log or an assertion message. */
    @Override
    public String toString() {
        return "Webhook[" + webhookId + " of " + keyId + ", " + eventTypes + "]";
    }
}
