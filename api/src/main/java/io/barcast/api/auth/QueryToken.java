package io.barcast.api.auth;

import io.javalin.security.RouteRole;

/**
 * Marks a route that also takes a stream token in the query string ({@code ?token=}), for browsers,
 * whose EventSource and WebSocket cannot send a header. An API key is never taken from a URL.
 */
public enum QueryToken implements RouteRole {
    ACCEPTED
}
