package io.barcast.jobs.local;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter (same metric names, same labels) serving {@code /metrics} on one host
 * instead of every interface: Flink's own {@code PrometheusReporter} binds the wildcard address and
 * has no option for the host.
 */
public final class BoundPrometheusReporter extends AbstractPrometheusReporter {

    private final HTTPServer httpServer;

    BoundPrometheusReporter(String host, PortRange ports) {
        CollectorRegistry registry = registryOf(this);
        HTTPServer started = null;
        // the first free port of the range, as Flink's reporter does: a task manager and a job
        // manager in one machine each need their own
        for (Iterator<Integer> it = ports.getPortsIterator(); it.hasNext() && started == null; ) {
            int port = it.next();
            try {
                started = new HTTPServer(new InetSocketAddress(host, port), registry);
            } catch (IOException e) {
                log.debug("Port {} of {} is taken, trying the next one.", port, host, e);
            }
        }
        if (started == null) {
            throw new IllegalStateException(
                    "Could not start the Prometheus endpoint on "
                            + host
                            + " at any port of "
                            + ports);
        }
        httpServer = started;
        log.info("Prometheus endpoint on {}", BindAddress.hostAndPort(host, httpServer.getPort()));
    }

    /** The port it serves on. */
    public int port() {
        return httpServer.getPort();
    }

    @Override
    public void close() {
        httpServer.stop();
        super.close();
    }

    /**
     * The registry the base class adds every collector to. It has no accessor (only Flink's own
     * reporter, in the same package, reads it); a Flink upgrade that renames it fails here, at
     * start-up, and in the local stack's tests.
     */
    private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
        try {
            Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
            field.setAccessible(true);
            return (CollectorRegistry) field.get(reporter);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "This version of flink-metrics-prometheus keeps its registry elsewhere", e);
        }
    }
}
