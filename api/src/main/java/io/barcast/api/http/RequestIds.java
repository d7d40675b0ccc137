package io.barcast.api.http;

import io.javalin.http.Context;
import java.util.UUID;

/**
 * Every request gets an id, echoed in {@code X-Request-Id}, in problem bodies and in the access
 * log, so a client's report finds its log line. A client's own id is kept when it is a short
 * printable token; anything else is replaced, so the header cannot carry text into the logs.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "barcast.request-id";

    private RequestIds() {}

    /** Assigns the request its id; the first thing every request does. */
    public static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = isToken(given) ? given : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "" : id;
    }

    private static boolean isToken(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '-'
                            || c == '_'
                            || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
