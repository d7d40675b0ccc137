package io.barcast.api;

import io.javalin.config.RoutesConfig;

/**
 * A group of endpoints. Each route names the lowest {@link io.barcast.api.auth.Tier} that may call
 * it as its role; one that names none needs a {@code default} key.
 */
public interface ApiRoutes {

    void addTo(RoutesConfig routes);
}
