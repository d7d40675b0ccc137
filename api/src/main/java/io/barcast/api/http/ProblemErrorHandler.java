package io.barcast.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.SafeText;
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
 * The errors Jetty answers itself, before a route sees the request (a URL too long to read, a path
 * with a NUL or an ambiguous separator), as {@code application/problem+json} like every other error
 * of the API rather than Jetty's HTML page. Such a request gets a fresh request id: it never
 * reached the part that assigns one.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    private static final int DETAIL_CHARS = 200;

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int status,
            String message,
            Throwable cause,
            Callback callback) {
        String id = UUID.randomUUID().toString();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put(RequestIds.HEADER, id);
        response.write(true, body(status, message, id), callback);
    }

    /** Requests so broken that Jetty could not even parse them (e.g. a URI over its limit). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String id = UUID.randomUUID().toString();
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        fields.put(RequestIds.HEADER, id);
        return body(status, reason, id);
    }

    private static ByteBuffer body(int status, String message, String id) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", "about:blank");
        body.put("title", HttpStatus.getMessage(status));
        body.put("status", status);
        if (message != null && !message.isBlank()) {
            body.put("detail", SafeText.cap(SafeText.clean(message), DETAIL_CHARS));
        }
        body.put("request_id", id);
        return ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
