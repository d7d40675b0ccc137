package io.barcast.api.http;

import io.javalin.config.JavalinConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty answers itself before any route runs (a request line or headers over the limit, a
 * request it cannot parse) get a problem+json body like every other error, not Jetty's HTML page.
 * The limit is 32 KB instead of Jetty's 8 KB, so that a long query parameter reaches the routes,
 * whose checks name the parameter at fault; only beyond it does Jetty refuse the request whole.
 */
public final class JettyProblems extends ErrorHandler {

    /** Request line and headers together; 100 symbols of 32 characters need 3.3 KB. */
    public static final int MAX_REQUEST_HEADER_BYTES = 32 * 1024;

    /** Raises the header limit and answers Jetty's own errors as problems. */
    public static void install(JavalinConfig config) {
        config.jetty.modifyHttpConfiguration(
                http -> http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES));
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            String message,
            Throwable cause,
            Callback callback) {
        String id = UUID.randomUUID().toString();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put(RequestIds.HEADER, id);
        response.write(true, problem(code, message, request.getHttpURI().getPath(), id), callback);
    }

    /** The body of a response to a request Jetty could not even parse. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String id = UUID.randomUUID().toString();
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        fields.put(RequestIds.HEADER, id);
        return problem(status, reason, null, id);
    }

    /** A problem with a request id of its own: no route ever saw the request. */
    private static ByteBuffer problem(int status, String reason, String path, String id) {
        String detail = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        return ByteBuffer.wrap(
                Problems.body(status, HttpStatus.getMessage(status), detail, path, id, null)
                        .getBytes(StandardCharsets.UTF_8));
    }
}
