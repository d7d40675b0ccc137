package io.barcast.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code barcast.api.access} logger (time, request id, key id,
 * method, route template, status, latency in ms), and the request metrics. The raw path and query
 * are not logged: they can hold anything a client typed. Which key called is told by the
 * authentication that checked it.
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("barcast.api.access");

    private final ObjectMapper mapper;
    private final ApiMetrics metrics;
    private final Function<Context, String> callerKeyId;

    /**
     * @param callerKeyId the id of the API key a request was made with, or null for none
     */
    public AccessLog(
            ObjectMapper mapper, ApiMetrics metrics, Function<Context, String> callerKeyId) {
        this.mapper = mapper;
        this.metrics = metrics;
        this.callerKeyId = callerKeyId;
    }

    public void log(Context ctx, Float millis) {
        String route = routeOf(ctx);
        int status = ctx.statusCode();
        double ms = millis == null ? 0 : millis;
        metrics.request(route, ctx.method().name(), status, ms / 1000);
        if (!LOG.isInfoEnabled()) {
            return;
        }
        ObjectNode line = mapper.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("request_id", RequestIds.of(ctx));
        line.put("key_id", callerKeyId.apply(ctx));
        line.put("method", ctx.method().name());
        line.put("route", route);
        line.put("status", status);
        line.put("latency_ms", Math.round(ms * 100) / 100.0);
        LOG.info(line.toString());
    }

    /**
     * The matched route's template, e.g. {@code /api/v1/predictions/{symbol}}; else "unmatched".
     */
    static String routeOf(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }
}
