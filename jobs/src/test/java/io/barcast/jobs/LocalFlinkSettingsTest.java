package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.jobs.local.BoundPrometheusReporterFactory;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InvalidOptionException;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.Test;

/** The Flink settings of the clusters the CLI starts in its own JVM: closed to the network. */
class LocalFlinkSettingsTest {

    private static final String[] BIND_KEYS = {
        "rest.bind-address",
        "jobmanager.bind-host",
        "taskmanager.bind-host",
        "metrics.reporter.prom.host"
    };
    private static final String[] CONNECT_KEYS = {
        "rest.address", "jobmanager.rpc.address", "taskmanager.host"
    };

    @Test
    void everyPortListensOnTheLoopbackAddressByDefault() {
        Map<String, String> flink = FlinkSettings.local(BarcastConfig.of(Map.of())).toMap();
        for (String key : BIND_KEYS) {
            assertThat(flink).containsEntry(key, "127.0.0.1");
        }
        for (String key : CONNECT_KEYS) {
            assertThat(flink).containsEntry(key, "127.0.0.1");
        }
        assertThat(flink)
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        BoundPrometheusReporterFactory.class.getName());
    }

    @Test
    void theBindAddressOpensThemAndTheStackStillConnectsThroughTheLoopback() {
        Map<String, String> flink =
                FlinkSettings.local(BarcastConfig.of(Map.of("bind-address", "0.0.0.0"))).toMap();
        for (String key : BIND_KEYS) {
            assertThat(flink).containsEntry(key, "0.0.0.0");
        }
        for (String key : CONNECT_KEYS) {
            assertThat(flink).containsEntry(key, "127.0.0.1");
        }
    }

    @Test
    void jarSubmissionThroughTheWebUiStaysOffWhateverTheSettings() {
        Configuration flink =
                FlinkSettings.local(BarcastConfig.of(Map.of("flink.web.submit.enable", "true")));
        assertThat(flink.toMap()).containsEntry("web.submit.enable", "false");
    }

    @Test
    void aFlinkSettingWinsOverTheBindAddress() {
        Map<String, String> flink =
                FlinkSettings.inProcess(
                                BarcastConfig.of(Map.of("flink.rest.bind-address", "0.0.0.0")))
                        .toMap();
        assertThat(flink).containsEntry("rest.bind-address", "0.0.0.0");
        assertThat(flink).containsEntry("jobmanager.bind-host", "127.0.0.1");
    }

    @Test
    void anAddressThatDoesNotResolveIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("bind-address", "no-such-host.invalid")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("option 'bind-address'");
        assertThatThrownBy(() -> BarcastConfig.of(Map.of("bind-address", " ")))
                .hasMessageStartingWith("option 'bind-address'");
    }

    @Test
    void flinkFindsTheBoundPrometheusReporterFactory() {
        assertThat(ServiceLoader.load(MetricReporterFactory.class).stream())
                .anyMatch(factory -> factory.type() == BoundPrometheusReporterFactory.class);
    }
}
