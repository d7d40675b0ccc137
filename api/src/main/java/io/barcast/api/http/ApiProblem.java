package io.barcast.api.http;

/**
 * A request the API refuses, with what the client needs to fix it. Thrown anywhere in a handler;
 * {@link Problems} turns it into an {@code application/problem+json} response (RFC 9457).
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final String parameter;
    private final long retryAfterSeconds;

    private ApiProblem(
            int status, String title, String detail, String parameter, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.parameter = parameter;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: {@code parameter} (a query parameter, path parameter or body field) is wrong. */
    public static ApiProblem badParameter(String parameter, String detail) {
        return new ApiProblem(400, "Invalid parameter", detail, parameter, 0);
    }

    /** 400: the body as a whole cannot be read. */
    public static ApiProblem badBody(String detail) {
        return new ApiProblem(400, "Invalid request body", detail, "body", 0);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail, null, 0);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "Forbidden", detail, null, 0);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not found", detail, null, 0);
    }

    /** 404 for a symbol barcast has no rows of; names the parameter that held it. */
    public static ApiProblem unknownSymbol(String parameter, String symbol) {
        return new ApiProblem(
                404, "Unknown symbol", "no forecast of symbol " + symbol, parameter, 0);
    }

    /**
     * 409: the request conflicts with what is stored: a limit of stored things reached, or a
     * resource not in a state that allows the request (yet).
     */
    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail, null, 0);
    }

    /** 410: the resource existed and is gone for good. */
    public static ApiProblem gone(String detail) {
        return new ApiProblem(410, "Gone", detail, null, 0);
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "Request body too large", detail, "body", 0);
    }

    public static ApiProblem tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiProblem(429, "Too many requests", detail, null, retryAfterSeconds);
    }

    /** 503: a part the request needs (the database, the broker) is not reachable. */
    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "Service unavailable", detail, null, 0);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The parameter at fault, or null. */
    public String parameter() {
        return parameter;
    }

    /** Seconds to wait before retrying, or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
