package io.barcast.jobs.local;

import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Creates {@link BoundPrometheusReporter}s, Flink's Prometheus reporter on one host. Flink finds it
 * through {@code META-INF/services}; select it with {@code metrics.reporter.<name>.factory.class}.
 * It reads {@code port} (a port or a range, default 9249) and {@code host} (default 127.0.0.1),
 * both under {@code metrics.reporter.<name>.}.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {

    static final String ARG_HOST = "host";
    static final String ARG_PORT = "port";

    @Override
    public BoundPrometheusReporter createMetricReporter(Properties properties) {
        MetricConfig config = (MetricConfig) properties;
        return new BoundPrometheusReporter(
                config.getString(ARG_HOST, BindAddress.LOOPBACK.host()),
                new PortRange(config.getString(ARG_PORT, "9249")));
    }
}
