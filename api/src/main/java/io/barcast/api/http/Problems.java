package io.barcast.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.SafeText;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API returns, as {@code application/problem+json} (RFC 9457): {@code type}, {@code
 * title}, {@code status}, {@code detail}, {@code instance} (the path) and the extensions {@code
 * request_id} and, for a bad parameter, {@code parameter}. An unexpected exception is logged with
 * its request id and answered with a 500 that holds no stack trace and no message.
 */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final int DETAIL_CHARS = 500;

    public Problems() {}

    /** Installs the handlers: thrown problems, Javalin's own errors, anything unexpected. */
    public void install(JavalinConfig config) {
        config.routes.exception(ApiProblem.class, (problem, ctx) -> write(ctx, problem));
        config.routes.exception(
                HttpResponseException.class,
                (error, ctx) -> write(ctx, fromJavalin(error.getStatus(), error.getMessage())));
        config.routes.exception(
                Exception.class,
                (error, ctx) -> {
                    LOG.error(
                            "request {} {} {} failed",
                            RequestIds.of(ctx),
                            ctx.method(),
                            ctx.path(),
                            error);
                    write(
                            ctx,
                            new Problem(
                                    500,
                                    "Internal server error",
                                    "the request failed inside barcast; the log holds the"
                                            + " cause under this request id",
                                    null,
                                    0));
                });
        // Javalin's own answers for a path or method no route takes, as problems too
        config.routes.error(
                404,
                "*",
                ctx ->
                        unrouted(
                                ctx,
                                "Not found",
                                "no such endpoint: "
                                        + ctx.method()
                                        + " "
                                        + quotedPath(ctx.path())));
        config.routes.error(
                405,
                "*",
                ctx ->
                        unrouted(
                                ctx,
                                "Method not allowed",
                                ctx.method() + " is not allowed on " + quotedPath(ctx.path())));
    }

    private void unrouted(Context ctx, String title, String detail) {
        if (!isProblem(ctx)) {
            write(ctx, new Problem(ctx.statusCode(), title, detail, null, 0));
        }
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(CONTENT_TYPE);
    }

    private static Problem fromJavalin(int status, String message) {
        String title =
                switch (status) {
                    case 413 -> "Request body too large";
                    case 404 -> "Not found";
                    case 405 -> "Method not allowed";
                    default -> "Bad request";
                };
        return new Problem(status, title, message, status == 413 ? "body" : null, 0);
    }

    void write(Context ctx, ApiProblem problem) {
        write(
                ctx,
                new Problem(
                        problem.status(),
                        problem.title(),
                        problem.getMessage(),
                        problem.parameter(),
                        problem.retryAfterSeconds()));
    }

    private void write(Context ctx, Problem problem) {
        if (problem.retryAfterSeconds > 0) {
            ctx.header("Retry-After", Long.toString(problem.retryAfterSeconds));
        }
        ctx.status(problem.status);
        ctx.contentType(CONTENT_TYPE);
        ctx.result(
                body(
                        problem.status,
                        problem.title,
                        problem.detail,
                        ctx.path(),
                        RequestIds.of(ctx),
                        problem.parameter));
    }

    /**
     * A problem body, the one shape of every error barcast's API gives (also those Jetty answers
     * before any route runs): client text in it is cleaned and cut short.
     */
    static String body(
            int status,
            String title,
            String detail,
            String path,
            String requestId,
            String parameter) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (detail != null && !detail.isBlank()) {
            body.put("detail", SafeText.cap(SafeText.clean(detail), DETAIL_CHARS));
        }
        body.put("instance", path == null ? "" : quotedPath(path));
        body.put("request_id", requestId);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return body.toString();
    }

    private static String quotedPath(String path) {
        return SafeText.cap(SafeText.clean(path), 200);
    }

    private record Problem(
            int status, String title, String detail, String parameter, long retryAfterSeconds) {}
}
