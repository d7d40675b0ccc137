package io.barcast.api.webhook;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The webhooks' metrics on {@code /metrics}: attempts by outcome, attempt latency, deliveries
 * waiting (all instances, as the table holds them), endpoints disabled, and events the dispatcher
 * turned into deliveries. No label holds a URL or an id.
 */
public final class WebhookMetrics {

    final Counter attempts;
    final Histogram latency;
    final Gauge backlog;
    final Counter disabled;
    final Counter dispatched;
    final Gauge endpoints;

    public WebhookMetrics(PrometheusRegistry registry) {
        attempts =
                Counter.builder()
                        .name("barcast_webhook_deliveries_total")
                        .help(
                                "Delivery attempts by outcome: delivered, retry (failed, tried"
                                        + " again later), given_up, refused (the URL failed the"
                                        + " address check)")
                        .labelNames("outcome")
                        .register(registry);
        latency =
                Histogram.builder()
                        .name("barcast_webhook_attempt_duration_seconds")
                        .help("Time of one delivery attempt, to the answer's status or the error")
                        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                        .register(registry);
        backlog =
                Gauge.builder()
                        .name("barcast_webhook_backlog")
                        .help("Deliveries waiting for an attempt (new or to be retried)")
                        .register(registry);
        disabled =
                Counter.builder()
                        .name("barcast_webhook_endpoints_disabled_total")
                        .help("Webhooks this instance disabled, by reason: gone (410), failing")
                        .labelNames("reason")
                        .register(registry);
        dispatched =
                Counter.builder()
                        .name("barcast_webhook_events_dispatched_total")
                        .help("Deliveries the dispatcher added, by event type")
                        .labelNames("type")
                        .register(registry);
        endpoints =
                Gauge.builder()
                        .name("barcast_webhook_endpoints")
                        .help("Enabled webhooks the dispatcher matches events against")
                        .register(registry);
    }
}
