package io.barcast.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus configuration and alert rules, checked by Prometheus' own {@code promtool}: the
 * configuration and rules load, every alert fires in a unit test from series named as barcast's
 * metrics are exported (deploy/prometheus/tests), and stays quiet on healthy ones. Skipped when
 * promtool is absent (Debian package {@code prometheus}); the checks of the files' shape run
 * regardless.
 */
class PrometheusRulesITCase {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    @TempDir Path tmp;

    @Test
    void configScrapesTheStackAndLoadsTheMountedRules() throws IOException {
        JsonNode config = YAML.readTree(MonitoringFiles.PROMETHEUS_CONFIG.toFile());
        assertThat(config.path("rule_files").get(0).asText())
                .isEqualTo("/etc/prometheus/rules/*.yml");
        Map<String, String> targets = new TreeMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            StringBuilder where = new StringBuilder();
            job.path("static_configs").forEach(c -> where.append(c.path("targets")));
            job.path("dns_sd_configs")
                    .forEach(c -> where.append(c.path("names")).append(':').append(c.path("port")));
            where.append(job.path("metrics_path").asText("/metrics"));
            targets.put(job.path("job_name").asText(), where.toString());
        }
        // the services and ports of docker-compose.yml; the alerts select these job names
        assertThat(targets)
                .containsOnly(
                        Map.entry("flink-jobmanager", "[\"jobmanager:9249\"]/metrics"),
                        Map.entry("flink-taskmanager", "[\"taskmanager\"]:9249/metrics"),
                        Map.entry("barcast-api", "[\"api\"]:8090/metrics"));
    }

    @Test
    void configIsValid() throws Exception {
        assumePromtool();
        // the same configuration, its rule files pointed from the container's mount to the
        // repository, so that promtool checks the real rules with it
        ObjectNode config = (ObjectNode) YAML.readTree(MonitoringFiles.PROMETHEUS_CONFIG.toFile());
        config.putArray("rule_files").add(MonitoringFiles.RULES.resolve("*.yml").toString());
        Path copy = tmp.resolve("prometheus.yml");
        YAML.writeValue(copy.toFile(), config);
        assertSucceeds("promtool", "check", "config", copy.toString());
    }

    @Test
    void rulesAreValid() throws Exception {
        assumePromtool();
        List<String> command = new ArrayList<>(List.of("promtool", "check", "rules"));
        MonitoringFiles.ruleFiles().forEach(file -> command.add(file.toString()));
        assertSucceeds(command.toArray(String[]::new));
    }

    @Test
    void everyAlertPassesItsUnitTests() throws Exception {
        assumePromtool();
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        MonitoringFiles.ruleTestFiles().forEach(file -> command.add(file.toString()));
        String output = assertSucceeds(command.toArray(String[]::new));
        assertThat(output).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasATestThatFiresIt() {
        Set<String> alerts = MonitoringFiles.alertNames();
        assertThat(alerts).as("alerts in deploy/prometheus/rules").hasSizeGreaterThan(10);
        assertThat(MonitoringFiles.alertsTestedFiring())
                .as("alerts some test in deploy/prometheus/tests expects to fire")
                .containsAll(alerts);
    }

    @Test
    void everyAlertWaitsHasASeverityAndTellsWhatToLookAt() throws IOException {
        for (Path file : MonitoringFiles.ruleFiles()) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (!rule.has("alert")) {
                        continue;
                    }
                    String name = rule.get("alert").asText();
                    assertThat(rule.path("for").asText()).as(name + " for").isNotBlank();
                    assertThat(rule.path("labels").path("severity").asText())
                            .as(name + " severity")
                            .isIn(SEVERITIES);
                    assertThat(rule.path("annotations").path("summary").asText())
                            .as(name + " summary")
                            .isNotBlank();
                    assertThat(rule.path("annotations").path("description").asText())
                            .as(name + " description")
                            .hasSizeGreaterThan(80);
                }
            }
        }
    }

    private static void assumePromtool() {
        boolean found;
        try {
            Process probe = new ProcessBuilder("promtool", "--version").start();
            found = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        assumeTrue(
                found,
                "promtool is not installed (Debian: apt-get install prometheus); the Prometheus"
                        + " configuration, rules and rule unit tests were not checked");
    }

    /** Runs the command; returns its output, or fails with it. */
    private static String assertSucceeds(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s ends", command[1]).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
