package io.barcast.api.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.auth.QueryToken;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.JsonBody;
import io.barcast.api.http.Params;
import io.barcast.api.push.EventKind;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live streams: server-sent events of one kind ({@code GET /api/v1/stream/predictions}, {@code
 * /recommendations}, {@code /alerts}, {@code /validations}; {@code symbols} filters, {@code
 * Last-Event-ID} resumes), a WebSocket ({@code /api/v1/ws}) whose messages subscribe to kinds and
 * symbols, and {@code POST /api/v1/stream/tokens}, which gives browsers a short-lived token for
 * {@code ?token=}. Without a broker the streams answer 503.
 */
public final class StreamRoutes implements ApiRoutes {

    public static final String WS_PATH = "/api/v1/ws";
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    /** As many as a listing's {@code symbols} takes. */
    private static final int MAX_SYMBOLS = 100;

    private static final String KEY_ID = "barcast.stream.key-id";
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final StreamHub hub;
    private final StreamTokens tokens;
    private final ObjectMapper mapper;
    private final JsonBody messages;
    private final Map<String, WsClient> sockets = new ConcurrentHashMap<>();

    /**
     * @param hub the instance's streams; null without a broker
     */
    public StreamRoutes(ApiContext api, StreamHub hub, StreamTokens tokens) {
        this.hub = hub;
        this.tokens = tokens;
        this.mapper = api.mapper();
        this.messages = new JsonBody(api.mapper(), MAX_MESSAGE_BYTES);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        for (EventKind kind : StreamKinds.ALL) {
            routes.get(
                    "/api/v1/stream/" + StreamKinds.plural(kind),
                    ctx -> stream(ctx, kind),
                    Tier.DEFAULT,
                    QueryToken.ACCEPTED);
        }
        routes.post("/api/v1/stream/tokens", this::token, Tier.DEFAULT);
        routes.ws(WS_PATH, this::socket, Tier.DEFAULT);
    }

    /**
     * Checks a WebSocket upgrade as every other request is checked (Javalin runs no {@code
     * beforeMatched} handler for upgrades): the caller's key or token, its rate limit, the
     * instance's room. Registered by the server with {@code wsBeforeUpgrade}.
     */
    public void beforeUpgrade(Context ctx, KeyCheck keys, io.javalin.http.Handler limits)
            throws Exception {
        Params.of(ctx, "token");
        keys.check(ctx, Tier.DEFAULT, true);
        limits.handle(ctx);
        available();
        if (hub.full()) {
            throw full();
        }
        ctx.attribute(KEY_ID, KeyCheck.caller(ctx).id());
    }

    // ---- server-sent events

    private void stream(Context ctx, EventKind kind) {
        Params params = Params.of(ctx, "symbols", "token", "last_event_id");
        List<String> symbols = params.symbols("symbols", MAX_SYMBOLS);
        StreamPosition from = resumePosition(ctx, params, kind);
        available();
        if (!hub.admit()) {
            throw full();
        }
        ApiKey caller = KeyCheck.caller(ctx);
        SseClient[] client = new SseClient[1];
        client[0] =
                new SseClient(
                        kind,
                        symbols,
                        caller.id(),
                        hub.settings().clientBuffer(),
                        from,
                        hub.writers(),
                        hub.timers(),
                        hub.metrics(),
                        () -> hub.unregister(client[0]));
        ctx.status(200);
        ctx.contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache, no-store");
        // nginx and its kind buffer responses unless told not to
        ctx.header("X-Accel-Buffering", "no");
        ctx.future(
                () -> {
                    try {
                        client[0].attach(ctx.req(), ctx.res().getOutputStream());
                    } catch (Exception e) {
                        hub.release();
                        throw new IllegalStateException("the stream could not start", e);
                    }
                    hub.register(client[0], List.of(kind));
                    if (from != null) {
                        hub.catchUp(client[0], from, client[0].live());
                    }
                    return client[0].done();
                });
    }

    /** {@code Last-Event-ID} (or, for a new EventSource, {@code last_event_id}); null if none. */
    private static StreamPosition resumePosition(Context ctx, Params params, EventKind kind) {
        String header = ctx.header(LAST_EVENT_ID);
        String query = params.text("last_event_id");
        String name = header != null ? LAST_EVENT_ID : "last_event_id";
        String id = header != null ? header : query;
        if (id == null || id.isBlank()) {
            return null;
        }
        try {
            return StreamPosition.parse(kind, id.strip());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badParameter(
                    name,
                    name
                            + " '"
                            + Params.quote(id)
                            + "' "
                            + e.getMessage()
                            + "; send the id of an event of this stream, or none to start now");
        }
    }

    private void available() {
        if (hub == null) {
            throw ApiProblem.unavailable(
                    "streams need a broker: this instance has no kafka.bootstrap-servers");
        }
    }

    private ApiProblem full() {
        return ApiProblem.unavailable(
                "this instance serves its most streams ("
                        + hub.settings().maxClients()
                        + "); try again later");
    }

    // ---- tokens

    private void token(Context ctx) throws Exception {
        Params.of(ctx);
        StreamTokens.Issued issued = tokens.issue(KeyCheck.caller(ctx));
        ctx.header("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("expires_at", issued.expiresAt());
        ctx.json(body);
    }

    // ---- WebSocket

    private void socket(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(this::message);
        ws.onBinaryMessage(
                ctx -> reply(ctx, error("send text messages of JSON, not binary ones", null)));
        ws.onClose(ctx -> closed(ctx));
        ws.onError(ctx -> closed(ctx));
    }

    private void connected(WsConnectContext ctx) {
        if (hub == null || !hub.admit()) {
            ctx.closeSession(1013, "too many streams on this instance; try again later");
            return;
        }
        String keyId = ctx.attribute(KEY_ID);
        WsClient[] client = new WsClient[1];
        String session = ctx.sessionId();
        client[0] =
                new WsClient(
                        ctx.session,
                        keyId,
                        hub.settings().clientBuffer(),
                        hub.writers(),
                        hub.metrics(),
                        () -> {
                            sockets.remove(session);
                            hub.unregister(client[0]);
                        });
        sockets.put(session, client[0]);
        hub.register(client[0], StreamKinds.ALL);
    }

    private void closed(WsContext ctx) {
        WsClient client = sockets.get(ctx.sessionId());
        if (client != null) {
            client.gone();
        }
    }

    /** A client's message: {@code {"action":"subscribe","symbols":[...],"kinds":[...]}}. */
    record WsRequest(String action, List<String> symbols, List<String> kinds) {}

    private void message(WsMessageContext ctx) {
        WsClient client = sockets.get(ctx.sessionId());
        if (client == null) {
            return;
        }
        WsRequest request;
        try {
            request =
                    messages.parse(ctx.message().getBytes(StandardCharsets.UTF_8), WsRequest.class);
        } catch (ApiProblem problem) {
            client.reply(error(problem.getMessage(), problem.parameter()));
            return;
        }
        String action = request.action();
        if (!"subscribe".equals(action) && !"unsubscribe".equals(action)) {
            client.reply(
                    error(
                            action == null
                                    ? "action is missing: subscribe or unsubscribe"
                                    : "action '"
                                            + Params.quote(action)
                                            + "' is not one of subscribe, unsubscribe",
                            "action"));
            return;
        }
        List<EventKind> kinds = new ArrayList<>();
        if (request.kinds() == null || request.kinds().isEmpty()) {
            client.reply(
                    error("kinds is missing: name one or more of " + StreamKinds.names(), "kinds"));
            return;
        }
        for (int i = 0; i < request.kinds().size(); i++) {
            EventKind kind = StreamKinds.of(request.kinds().get(i));
            if (kind == null) {
                client.reply(
                        error(
                                "kinds["
                                        + i
                                        + "]: '"
                                        + Params.quote(String.valueOf(request.kinds().get(i)))
                                        + "' is not a stream kind; one of "
                                        + StreamKinds.names(),
                                "kinds[" + i + "]"));
                return;
            }
            kinds.add(kind);
        }
        List<String> symbols;
        try {
            symbols =
                    request.symbols() == null || request.symbols().isEmpty()
                            ? List.of()
                            : Params.symbolList("symbols", request.symbols(), MAX_SYMBOLS);
            Map<EventKind, WsClient.Subscription> now =
                    "subscribe".equals(action)
                            ? client.subscribe(kinds, symbols)
                            : client.unsubscribe(kinds, symbols);
            client.reply(acknowledgement(action + "d", now));
        } catch (ApiProblem problem) {
            client.reply(error(problem.getMessage(), problem.parameter()));
        } catch (IllegalArgumentException e) {
            client.reply(error(e.getMessage(), "symbols"));
        }
    }

    private String acknowledgement(String type, Map<EventKind, WsClient.Subscription> now) {
        ObjectNode ack = mapper.createObjectNode();
        ack.put("type", type);
        ArrayNode subscription = ack.putArray("subscription");
        for (Map.Entry<EventKind, WsClient.Subscription> entry : now.entrySet()) {
            ObjectNode one = subscription.addObject();
            one.put("kind", StreamKinds.plural(entry.getKey()));
            one.put("all_symbols", entry.getValue().allSymbols());
            ArrayNode list = one.putArray("symbols");
            entry.getValue().symbols().forEach(list::add);
        }
        return ack.toString();
    }

    private String error(String message, String field) {
        ObjectNode error = mapper.createObjectNode();
        error.put("type", "error");
        error.put("error", message);
        if (field != null) {
            error.put("field", field);
        }
        return error.toString();
    }

    private void reply(WsContext ctx, String message) {
        WsClient client = sockets.get(ctx.sessionId());
        if (client != null) {
            client.reply(message);
        }
    }
}
