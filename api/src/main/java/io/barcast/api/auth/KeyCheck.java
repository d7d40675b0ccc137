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
    private final QueryTokens tokens;

    /** By the key's hash, as the database holds it. */
    private final Map<String, Remembered> recent = new ConcurrentHashMap<>();

    public KeyCheck(ApiKeys keys) {
        this(keys, QueryTokens.NONE);
    }

    /**
     * @param tokens the stream tokens that routes marked {@link QueryToken#ACCEPTED} take in {@code
     *     ?token=} when no key is in the headers
     */
    public KeyCheck(ApiKeys keys, QueryTokens tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    /** The caller of a request that passed the check; null on public routes. */
    public static ApiKey caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    /** The id of the key the request was made with, or null when it carried none. */
    public static String callerId(Context ctx) {
        ApiKey caller = caller(ctx);
        return caller == null ? null : caller.id();
    }

    public void check(Context ctx) throws SQLException {
        check(ctx, needed(ctx), ctx.routeRoles().contains(QueryToken.ACCEPTED));
    }

    /**
     * Checks a request against {@code needed}, also where no route's roles say it (a WebSocket
     * upgrade).
     *
     * @param tokenAccepted whether a stream token in {@code ?token=} may stand for the key
     */
    public void check(Context ctx, Tier needed, boolean tokenAccepted) throws SQLException {
        if (needed == Tier.PUBLIC) {
            return;
        }
        String presented = presented(ctx);
        Optional<ApiKey> key;
        if (presented != null) {
            key = find(presented);
        } else if (tokenAccepted && ctx.queryParam("token") != null) {
            key = byToken(ctx, ctx.queryParam("token"));
        } else {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.unauthorized(
                    tokenAccepted
                            ? "this endpoint needs an API key in X-API-Key or Authorization:"
                                    + " Bearer, or a stream token (POST /api/v1/stream/tokens) in"
                                    + " ?token="
                            : "this endpoint needs an API key in X-API-Key or Authorization:"
                                    + " Bearer");
        }
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

    /**
     * The key a stream token stands for, looked up every time (a stream opens once), so a revoked
     * key's tokens stop working at once. A key in the URL is refused: URLs end up in browser
     * histories, proxies' logs and Referer headers.
     */
    private Optional<ApiKey> byToken(Context ctx, String token) throws SQLException {
        if (token.startsWith("bk_")) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.unauthorized(
                    "an API key is never taken from a URL; send it in X-API-Key, or get a stream"
                            + " token from POST /api/v1/stream/tokens for ?token=");
        }
        Optional<ApiKey> key = tokens.keyOf(token);
        if (key.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.unauthorized(
                    "the stream token is unknown or expired; get a new one from POST"
                            + " /api/v1/stream/tokens");
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
