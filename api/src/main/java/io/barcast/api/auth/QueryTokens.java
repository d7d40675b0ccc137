package io.barcast.api.auth;

import java.sql.SQLException;
import java.util.Optional;

/** Finds the key a stream token stands for. */
public interface QueryTokens {

    /** The key of an unexpired token, revoked or not; empty for any other text. */
    Optional<ApiKey> keyOf(String token) throws SQLException;

    /** Tokens taken nowhere. */
    QueryTokens NONE = token -> Optional.empty();
}
