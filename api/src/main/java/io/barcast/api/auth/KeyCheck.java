package io.barcast.api.auth;

import io.barcast.api.http.ApiProblem;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Runs before every matched route: finds the caller's key ({@code X-API-Key}, or {@code
 * Authorization: Bearer}) and checks its tier against the lowest tier the route names. A route that
 * names none needs {@link Tier#DEFAULT}, so a route added without thought is not public.
 */
public final class KeyCheck {

    private static final String CALLER = "barcast.caller";

    private final ApiKeys keys;

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
        Optional<ApiKey> key = keys.find(presented);
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
