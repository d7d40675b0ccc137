package io.barcast.api.auth;

import io.barcast.api.http.ApiProblem;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs before every matched route: finds the caller's key ({@code X-API-Key}, or {@code
 * Authorization: Bearer}) and checks its tier against the lowest tier the route names. A route that
 * names none needs {@link Tier#DEFAULT}, so a route added without thought is not public.
 */
public final class KeyCheck {

    private static final String CALLER = "barcast.caller";

    /** How long a looked-up key is taken as it was: the delay before a revocation bites. */
    public static final Duration REMEMBER = Duration.ofSeconds(5);

    private static final int MAX_REMEMBERED = 10_000;

    private final ApiKeys keys;

    /** By the key's hash, as the database holds it. */
    private final Map<String, Remembered> recent = new ConcurrentHashMap<>();

    public KeyCheck(ApiKeys keys) {
        this.keys = keys;
    }

    /** The caller of a request that passed the check; null on public routes. */
    public static ApiKey caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    public void check(Context ctx) throws SQLException {
        Tier needed = needed(ctx);
        if (needed == Tier.PUBLIC) {
            return;
        }
        String presented = presented(ctx);
        if (presented == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.unauthorized(
                    "this endpoint needs an API key in X-API-Key or Authorization: Bearer");
        }
        Optional<ApiKey> key = find(presented);
        if (key.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.unauthorized("the API key is not one barcast issued");
        }
        if (key.get().revoked()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.unauthorized("the API key " + key.get().id() + " was revoked");
        }
        ctx.attribute(CALLER, key.get());
        if (!key.get().tier().allows(needed)) {
            throw ApiProblem.forbidden(
                    "this endpoint needs the "
                            + needed.label()
                            + " tier; the key "
                            + key.get().id()
                            + " is "
                            + key.get().tier().label());
        }
    }

    /**
     * The key, from what this instance looked up in the last {@link #REMEMBER}: a lookup is a
     * database round trip on every request otherwise. So a key revoked through another instance (or
     * the command line) is refused here within that time. Keys barcast never issued are not
     * remembered, so guessing cannot fill the memory.
     */
    private Optional<ApiKey> find(String presented) throws SQLException {
        long now = System.nanoTime();
        String hash = ApiKeys.hash(presented);
        Remembered remembered = recent.get(hash);
        if (remembered != null && now - remembered.at < REMEMBER.toNanos()) {
            return Optional.of(remembered.key);
        }
        Optional<ApiKey> key = keys.find(presented);
        if (key.isPresent()) {
            if (recent.size() >= MAX_REMEMBERED) {
                recent.clear();
            }
            recent.put(hash, new Remembered(key.get(), now));
        } else {
            recent.remove(hash);
        }
        return key;
    }

    private record Remembered(ApiKey key, long at) {}

    static Tier needed(Context ctx) {
        return Tier.lowestOf(ctx.routeRoles());
    }

    private static String presented(Context ctx) {
        String key = ctx.header("X-API-Key");
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
