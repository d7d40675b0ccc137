package io.barcast.api.stream;

import io.barcast.api.push.EventKind;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The streams' metrics on {@code /metrics}: clients connected by kind and transport (a WebSocket
 * counts once under each kind it subscribes to), events sent by kind and transport, clients dropped
 * by reason and transport.
 */
final class StreamMetrics {

    private final Map<Transport, Map<EventKind, CounterDataPoint>> sent =
            new EnumMap<>(Transport.class);
    private final Counter dropped;

    StreamMetrics(PrometheusRegistry registry, Supplier<Iterable<StreamClient>> clients) {
        Counter events =
                Counter.builder()
                        .name("barcast_api_stream_events_sent_total")
                        .help("Events written to stream clients, by kind and transport")
                        .labelNames("kind", "transport")
                        .register(registry);
        for (Transport transport : Transport.values()) {
            Map<EventKind, CounterDataPoint> byKind = new EnumMap<>(EventKind.class);
            for (EventKind kind : StreamKinds.ALL) {
                byKind.put(kind, events.labelValues(kind.label(), transport.label()));
            }
            sent.put(transport, byKind);
        }
        this.dropped =
                Counter.builder()
                        .name("barcast_api_stream_clients_dropped_total")
                        .help(
                                "Stream clients the server disconnected, by reason (slow: its"
                                        + " buffer overflowed; revoked: its key was revoked;"
                                        + " catch_up: its resume failed) and transport")
                        .labelNames("reason", "transport")
                        .register(registry);
        GaugeWithCallback.builder()
                .name("barcast_api_stream_clients")
                .help("Stream clients connected, by kind and transport")
                .labelNames("kind", "transport")
                .callback(
                        callback -> {
                            Map<Transport, int[]> counts = new EnumMap<>(Transport.class);
                            for (Transport transport : Transport.values()) {
                                counts.put(transport, new int[EventKind.values().length]);
                            }
                            for (StreamClient client : clients.get()) {
                                for (EventKind kind : client.kinds()) {
                                    counts.get(client.transport())[kind.ordinal()]++;
                                }
                            }
                            for (Transport transport : Transport.values()) {
                                for (EventKind kind : StreamKinds.ALL) {
                                    callback.call(
                                            counts.get(transport)[kind.ordinal()],
                                            kind.label(),
                                            transport.label());
                                }
                            }
                        })
                .register(registry);
    }

    void sent(Transport transport, EventKind kind) {
        sent.get(transport).get(kind).inc();
    }

    void dropped(Transport transport, String reason) {
        dropped.labelValues(reason, transport.label()).inc();
    }
}
