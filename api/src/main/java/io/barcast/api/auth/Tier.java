package io.barcast.api.auth;

import io.javalin.security.RouteRole;
import java.util.Collection;
import java.util.Locale;

/**
 * What a key may call. Each route names the lowest tier that may call it; a higher tier may call
 * everything a lower one may. {@link #PUBLIC} routes need no key at all.
 */
public enum Tier implements RouteRole {
    /** Health and readiness probes, the OpenAPI document, metrics: no key. */
    PUBLIC,
    /** Reads: forecasts, recommendations, performance, alerts, models, status. */
    DEFAULT,
    /** Also control (force a reprediction), predict and larger batches. */
    PREMIUM,
    /** Also dead letters and key management. */
    ADMIN;

    public boolean allows(Tier needed) {
        return compareTo(needed) >= 0;
    }

    /** The name stored in the database and shown to people. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The lowest tier among a route's roles, which is the tier a caller needs; {@link #DEFAULT}
     * when the route names none, so a route added without thought is not public.
     */
    public static Tier lowestOf(Collection<? extends RouteRole> roles) {
        Tier lowest = null;
        for (RouteRole role : roles) {
            if (role instanceof Tier tier && (lowest == null || tier.compareTo(lowest) < 0)) {
                lowest = tier;
            }
        }
        return lowest == null ? DEFAULT : lowest;
    }

    /** The tier of a label; an {@link IllegalArgumentException} naming the choices otherwise. */
    public static Tier of(String label) {
        for (Tier tier : values()) {
            if (tier != PUBLIC && tier.label().equals(label)) {
                return tier;
            }
        }
        throw new IllegalArgumentException(
                "tier '" + label + "' is not one of default, premium, admin");
    }
}
