package io.barcast.api.auth;

import java.time.Instant;

/**
 * A key as barcast stores it: never the key itself, only its id (safe to log and show) and the hash
 * it is found by.
 *
 * @param revokedAt null while the key is valid
 */
public record ApiKey(String id, String name, Tier tier, Instant createdAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
