package io.barcast.api.export;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The exports' metrics at {@code /metrics}: exports by the state they reached and their format,
 * rows and bytes written by format, and the exports this instance is writing now.
 */
final class ExportMetrics {

    private final Counter exports;
    private final Counter rows;
    private final Counter bytes;
    private final Gauge running;

    ExportMetrics(PrometheusRegistry registry) {
        exports =
                Counter.builder()
                        .name("barcast_api_exports_total")
                        .help(
                                "Exports that reached a state (queued, done, failed, expired,"
                                        + " deleted), by state and format")
                        .labelNames("state", "format")
                        .register(registry);
        rows =
                Counter.builder()
                        .name("barcast_api_export_rows_total")
                        .help("Rows written into export files, by format")
                        .labelNames("format")
                        .register(registry);
        bytes =
                Counter.builder()
                        .name("barcast_api_export_bytes_total")
                        .help("Bytes of finished export files, by format")
                        .labelNames("format")
                        .register(registry);
        running =
                Gauge.builder()
                        .name("barcast_api_exports_running")
                        .help("Exports this instance is writing now")
                        .register(registry);
    }

    void reached(String state, ExportFormat format) {
        exports.labelValues(state, format.label()).inc();
    }

    void rows(ExportFormat format, long count) {
        rows.labelValues(format.label()).inc(count);
    }

    void finished(ExportFormat format, long size) {
        bytes.labelValues(format.label()).inc(size);
    }

    void started() {
        running.inc();
    }

    void ended() {
        running.dec();
    }
}
