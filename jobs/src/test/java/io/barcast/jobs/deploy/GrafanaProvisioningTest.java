package io.barcast.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Grafana's provisioning as Grafana reads it: the data source with the fixed uid every dashboard
 * panel refers to, the provider that loads the dashboards' folder, and dashboards whose panels all
 * query that data source with unique ids and uids.
 */
class GrafanaProvisioningTest {

    private static final Path GRAFANA = MonitoringFiles.ROOT.resolve("deploy/grafana");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The uid the provisioned data source has and every dashboard refers to. */
    private static final String DATA_SOURCE_UID = "barcast-prometheus";

    @Test
    void theDataSourceIsPrometheusOfTheStackWithAFixedUid() throws IOException {
        JsonNode sources =
                YAML.readTree(GRAFANA.resolve("provisioning/datasources/prometheus.yml").toFile());
        assertThat(sources.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode source = sources.path("datasources").get(0);
        assertThat(source.path("type").asText()).isEqualTo("prometheus");
        assertThat(source.path("uid").asText()).isEqualTo(DATA_SOURCE_UID);
        assertThat(source.path("url").asText()).isEqualTo("http://prometheus:9090");
    }

    @Test
    void theProviderLoadsTheMountedDashboards() throws IOException {
        JsonNode providers =
                YAML.readTree(GRAFANA.resolve("provisioning/dashboards/barcast.yml").toFile());
        JsonNode provider = providers.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText())
                .isEqualTo("/var/lib/grafana/dashboards");
    }

    @Test
    void everyPanelQueriesTheProvisionedDataSource() throws IOException {
        Set<String> uids = new HashSet<>();
        assertThat(MonitoringFiles.dashboardFiles())
                .extracting(p -> p.getFileName().toString())
                .contains("pipeline.json", "api.json");
        for (Path file : MonitoringFiles.dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            String name = file.getFileName().toString();
            assertThat(uids.add(dashboard.path("uid").asText())).as(name + " uid").isTrue();
            assertThat(dashboard.path("title").asText()).as(name).isNotBlank();
            Set<Integer> ids = new HashSet<>();
            List<JsonNode> panels = new ArrayList<>();
            dashboard.path("panels").forEach(panels::add);
            assertThat(panels).as(name + " panels").hasSizeGreaterThan(5);
            for (JsonNode panel : panels) {
                String title = name + " / " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt())).as(title + " id").isTrue();
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(title)
                        .isEqualTo(DATA_SOURCE_UID);
                assertThat(panel.path("targets")).as(title + " targets").isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText())
                            .as(title)
                            .isEqualTo(DATA_SOURCE_UID);
                    assertThat(MonitoringFiles.metricNamesIn(target.path("expr").asText()))
                            .as(title + " queries a barcast or Flink metric")
                            .isNotEmpty();
                }
            }
        }
    }

    @Test
    void metricNamesAreReadFromQueriesNotFromLabelValues() {
        assertThat(
                        MonitoringFiles.metricNamesIn(
                                "sum(rate(barcast_api_requests_total{job=\"barcast-api\","
                                        + " route=~\"flink_x|barcast_y\"}[5m])) / on()"
                                        + " flink_jobmanager_numRunningJobs"))
                .containsExactly("barcast_api_requests_total", "flink_jobmanager_numRunningJobs");
    }
}
