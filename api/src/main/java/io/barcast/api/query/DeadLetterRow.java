package io.barcast.api.query;

import java.time.Instant;
import java.util.UUID;

/**
 * Input or work barcast could not use, with the reason, as the dead_letters table holds it.
 *
 * @param symbol the symbol when known, else empty
 * @param eventTime the bar time it concerns, or null when unknown
 * @param payload the rejected input (at most 32,768 characters)
 * @param firstSeenAt when the sink first wrote it
 */
public record DeadLetterRow(
        UUID deadLetterId,
        String symbol,
        String stage,
        String reason,
        Instant eventTime,
        String payload,
        Instant firstSeenAt) {}
