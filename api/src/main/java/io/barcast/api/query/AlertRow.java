package io.barcast.api.query;

import java.time.Instant;
import java.util.UUID;

/**
 * Something the people running barcast should look at, as the alerts table holds it.
 *
 * @param symbol the symbol or model folder it concerns, or empty
 */
public record AlertRow(
        UUID alertId,
        String severity,
        String category,
        String symbol,
        String message,
        Instant raisedAt,
        Instant writtenAt) {}
