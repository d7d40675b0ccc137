package io.barcast.api.webhook;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.JsonBody;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.barcast.api.push.EventKind;
import io.barcast.core.Alert;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Webhooks: {@code /api/v1/webhooks} to create (201, the secret shown this once), list, read,
 * change ({@code PATCH}: the fields sent replace theirs, the others stay) and delete (204) a key's
 * webhooks; {@code POST /{webhook_id}/test} queues a {@code test} event through the normal delivery
 * path; {@code GET /{webhook_id}/deliveries} lists every delivery with its state. A webhook belongs
 * to the key that made it: another key gets 404, an admin key sees all.
 */
public final class WebhookRoutes implements ApiRoutes {

    static final int MAX_DESCRIPTION_CHARS = 500;
    private static final Set<String> STATES =
            Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED, Delivery.GIVEN_UP);

    private final ApiContext api;
    private final WebhookSettings settings;
    private final WebhookStore webhooks;
    private final DeliveryStore deliveries;
    private final WebhookGuard guard;
    private final Runnable added;
    private final JsonBody body;

    /**
     * @param added called after a test delivery was added, so the senders look now
     */
    public WebhookRoutes(ApiContext api, WebhookGuard guard, Runnable added) {
        this.api = api;
        this.settings = api.settings().webhooks();
        this.webhooks = new WebhookStore(api.db());
        this.deliveries = new DeliveryStore(api.db());
        this.guard = guard;
        this.added = added;
        this.body = new JsonBody(api.mapper(), api.settings().maxBodyBytes());
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/webhooks", this::create, Tier.DEFAULT);
        routes.get("/api/v1/webhooks", this::list, Tier.DEFAULT);
        routes.get("/api/v1/webhooks/{webhook_id}", this::read, Tier.DEFAULT);
        routes.patch("/api/v1/webhooks/{webhook_id}", this::update, Tier.DEFAULT);
        routes.delete("/api/v1/webhooks/{webhook_id}", this::delete, Tier.DEFAULT);
        routes.post("/api/v1/webhooks/{webhook_id}/test", this::test, Tier.DEFAULT);
        routes.get("/api/v1/webhooks/{webhook_id}/deliveries", this::deliveries, Tier.DEFAULT);
    }

    /** A webhook's fields as a client sends them; on PATCH a field left out stays as it is. */
    public record WebhookBody(
            String url,
            List<String> eventTypes,
            List<String> symbols,
            Double minConfidence,
            String minSeverity,
            String description,
            Boolean enabled) {}

    private void create(Context ctx) throws Exception {
        Params.of(ctx);
        WebhookBody asked = body.read(ctx, WebhookBody.class);
        if (asked.url() == null) {
            throw ApiProblem.badParameter("url", "url is missing");
        }
        if (asked.eventTypes() == null) {
            throw ApiProblem.badParameter(
                    "event_types", "event_types is missing: give one or more of " + labels());
        }
        WebhookStore.Spec spec =
                check(
                        new WebhookStore.Spec(
                                asked.url(),
                                asked.eventTypes(),
                                asked.symbols() == null ? List.of() : asked.symbols(),
                                asked.minConfidence(),
                                asked.minSeverity(),
                                asked.description() == null ? "" : asked.description(),
                                asked.enabled() == null || asked.enabled()));
        Webhook created = webhooks.create(KeyCheck.caller(ctx), spec, settings.maxPerKey());
        ctx.header("Location", "/api/v1/webhooks/" + created.webhookId());
        ctx.status(201).json(created);
    }

    private void list(Context ctx) throws Exception {
        Params params = Params.of(ctx, "limit", "cursor");
        ctx.json(webhooks.list(KeyCheck.caller(ctx), Page.limit(params), params.cursor("cursor")));
    }

    private void read(Context ctx) throws Exception {
        Params.of(ctx);
        ctx.json(owned(ctx));
    }

    private void update(Context ctx) throws Exception {
        Params.of(ctx);
        Webhook now = owned(ctx);
        WebhookBody asked = body.read(ctx, WebhookBody.class);
        WebhookStore.Spec spec =
                check(
                        new WebhookStore.Spec(
                                asked.url() == null ? now.url() : asked.url(),
                                asked.eventTypes() == null ? now.eventTypes() : asked.eventTypes(),
                                asked.symbols() == null ? now.symbols() : asked.symbols(),
                                asked.minConfidence() == null
                                        ? now.minConfidence()
                                        : asked.minConfidence(),
                                asked.minSeverity() == null
                                        ? now.minSeverity()
                                        : asked.minSeverity(),
                                asked.description() == null
                                        ? now.description()
                                        : asked.description(),
                                asked.enabled() == null ? now.enabled() : asked.enabled()));
        ctx.json(
                webhooks.update(now.webhookId(), KeyCheck.caller(ctx), spec)
                        .orElseThrow(() -> missing(now.webhookId().toString())));
    }

    private void delete(Context ctx) throws Exception {
        Params.of(ctx);
        UUID id = id(ctx);
        if (!webhooks.delete(id, KeyCheck.caller(ctx))) {
            throw missing(id.toString());
        }
        ctx.status(204);
    }

    private void test(Context ctx) throws Exception {
        Params.of(ctx);
        Webhook webhook = owned(ctx);
        if (!webhook.enabled()) {
            throw ApiProblem.conflict(
                    "the webhook is disabled"
                            + (webhook.disabledReason() == null
                                    ? ""
                                    : " (" + webhook.disabledReason() + ")")
                            + "; turn it on with PATCH enabled=true first");
        }
        Instant now = Instant.now();
        String data =
                api.mapper()
                        .writeValueAsString(
                                Map.of(
                                        "webhookId",
                                        webhook.webhookId().toString(),
                                        "message",
                                        "a test event from barcast"));
        DeliveryStore.NewDelivery test =
                new DeliveryStore.NewDelivery(
                        UUID.randomUUID(),
                        webhook.webhookId(),
                        "test",
                        WebhookDispatcher.payload("test", now, data),
                        now);
        deliveries.insert(List.of(test));
        added.run();
        ctx.status(202)
                .json(Map.of("delivery_id", test.deliveryId(), "message_id", test.messageId()));
    }

    private void deliveries(Context ctx) throws Exception {
        Params params = Params.of(ctx, "state", "limit", "cursor");
        Webhook webhook = owned(ctx);
        ctx.json(
                deliveries.list(
                        webhook.webhookId(),
                        params.choice("state", STATES),
                        Page.limit(params),
                        params.cursor("cursor")));
    }

    /** The webhook of the path, when the caller may see it; 404 otherwise. */
    private Webhook owned(Context ctx) throws Exception {
        UUID id = id(ctx);
        ApiKey caller = KeyCheck.caller(ctx);
        return webhooks.find(id, caller).orElseThrow(() -> missing(id.toString()));
    }

    private static UUID id(Context ctx) {
        String raw = ctx.pathParam("webhook_id");
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw missing(Params.quote(raw));
        }
    }

    private static ApiProblem missing(String id) {
        return ApiProblem.notFound("no webhook " + id + " of this key");
    }

    /** {@code spec} checked and normalized; a 400 naming the field otherwise. */
    private WebhookStore.Spec check(WebhookStore.Spec spec) {
        try {
            guard.check(spec.url());
        } catch (WebhookGuard.Refused e) {
            throw ApiProblem.badParameter("url", e.getMessage());
        }
        if (spec.eventTypes().isEmpty()) {
            throw ApiProblem.badParameter(
                    "event_types", "event_types is empty: give one or more of " + labels());
        }
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < spec.eventTypes().size(); i++) {
            String label = spec.eventTypes().get(i);
            try {
                types.add(EventKind.of(label).label());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw ApiProblem.badParameter(
                        "event_types[" + i + "]",
                        "event_types["
                                + i
                                + "] '"
                                + Params.quote(String.valueOf(label))
                                + "' is not one of "
                                + labels());
            }
        }
        int maxSymbols = api.settings().maxBatchSymbols();
        if (spec.symbols().size() > maxSymbols) {
            throw ApiProblem.badParameter(
                    "symbols",
                    "symbols lists " + spec.symbols().size() + "; at most " + maxSymbols);
        }
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < spec.symbols().size(); i++) {
            String symbol = Params.symbolOf("symbols[" + i + "]", spec.symbols().get(i));
            if (!symbols.contains(symbol)) {
                symbols.add(symbol);
            }
        }
        Double confidence = spec.minConfidence();
        if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
            throw ApiProblem.badParameter(
                    "min_confidence", "min_confidence is " + confidence + "; it must be 0 to 1");
        }
        if (spec.minSeverity() != null && !Alert.SEVERITIES.contains(spec.minSeverity())) {
            throw ApiProblem.badParameter(
                    "min_severity",
                    "min_severity '"
                            + Params.quote(spec.minSeverity())
                            + "' is not one of "
                            + String.join(", ", Alert.SEVERITIES));
        }
        if (spec.description().length() > MAX_DESCRIPTION_CHARS) {
            throw ApiProblem.badParameter(
                    "description",
                    "description has "
                            + spec.description().length()
                            + " characters; at most "
                            + MAX_DESCRIPTION_CHARS);
        }
        return new WebhookStore.Spec(
                spec.url(),
                List.copyOf(types),
                symbols,
                confidence,
                spec.minSeverity(),
                spec.description(),
                spec.enabled());
    }

    private static String labels() {
        List<String> labels = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            labels.add(kind.label());
        }
        return String.join(", ", labels);
    }
}
