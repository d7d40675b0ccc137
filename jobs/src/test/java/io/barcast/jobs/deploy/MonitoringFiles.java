package io.barcast.jobs.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What deploy/prometheus and deploy/grafana hold, read as the tools read it: the alert names of the
 * rule files, the unit test files, and every metric name that a rule or a dashboard query uses.
 */
final class MonitoringFiles {

    /** The repository root: tests run in the module's folder. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static final Path PROMETHEUS_CONFIG = ROOT.resolve("deploy/prometheus/prometheus.yml");
    static final Path RULES = ROOT.resolve("deploy/prometheus/rules");
    static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/tests");
    static final Path DASHBOARDS = ROOT.resolve("deploy/grafana/dashboards");

    /**
     * A metric name of barcast (its API's) or of Flink's reporter. Expressions are read with their
     * string literals blanked first, so a label value such as {@code job="flink-taskmanager"} is
     * never taken for a name.
     */
    private static final Pattern METRIC =
            Pattern.compile("(?<![A-Za-z0-9_:$])(?:flink|barcast)_[A-Za-z0-9_:]+");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringFiles() {}

    static List<Path> ruleFiles() {
        return yamlFiles(RULES);
    }

    static List<Path> ruleTestFiles() {
        return yamlFiles(RULE_TESTS);
    }

    static List<Path> dashboardFiles() {
        return files(DASHBOARDS, ".json");
    }

    /** Every alert the rule files define. */
    static Set<String> alertNames() {
        Set<String> names = new TreeSet<>();
        for (JsonNode rule : rules()) {
            if (rule.hasNonNull("alert")) {
                names.add(rule.get("alert").asText());
            }
        }
        return names;
    }

    /** Every alert some unit test expects to fire ({@code exp_alerts} not empty). */
    static Set<String> alertsTestedFiring() {
        Set<String> names = new TreeSet<>();
        for (Path file : ruleTestFiles()) {
            for (JsonNode test : read(YAML, file).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    if (check.path("exp_alerts").size() > 0) {
                        names.add(check.path("alertname").asText());
                    }
                }
            }
        }
        return names;
    }

    /** Every metric name the rules and the dashboards query, with where each one is used. */
    static Map<String, Set<String>> metricsUsed() {
        Map<String, Set<String>> used = new TreeMap<>();
        for (Path file : ruleFiles()) {
            for (JsonNode rule : rules(file)) {
                String name = rule.has("alert") ? rule.get("alert").asText() : "record";
                addNames(used, rule.path("expr").asText(), file.getFileName() + " " + name);
            }
        }
        for (Path file : dashboardFiles()) {
            collectQueries(read(JSON, file), file.getFileName().toString(), used);
        }
        return used;
    }

    /** The metric names in one PromQL expression. */
    static Set<String> metricNamesIn(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(STRING_LITERAL.matcher(promql).replaceAll("\"\""));
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    private static void addNames(Map<String, Set<String>> used, String promql, String where) {
        for (String name : metricNamesIn(promql)) {
            used.computeIfAbsent(name, n -> new TreeSet<>()).add(where);
        }
    }

    /**
     * Panel targets' {@code expr} and template variables' queries ({@code label_values(metric,
     * label)} names a metric too), wherever they sit in the dashboard's tree of rows and panels.
     */
    private static void collectQueries(JsonNode node, String where, Map<String, Set<String>> used) {
        if (node.isObject()) {
            String here =
                    node.hasNonNull("title") ? where + " / " + node.get("title").asText() : where;
            for (String field : List.of("expr", "query", "definition")) {
                JsonNode value = node.get(field);
                if (value != null && value.isTextual()) {
                    addNames(used, value.asText(), here);
                } else if (value != null && value.has("query")) {
                    addNames(used, value.get("query").asText(), here);
                }
            }
            node.fields().forEachRemaining(e -> collectQueries(e.getValue(), here, used));
        } else if (node.isArray()) {
            node.forEach(child -> collectQueries(child, where, used));
        }
    }

    private static List<JsonNode> rules() {
        List<JsonNode> all = new ArrayList<>();
        for (Path file : ruleFiles()) {
            all.addAll(rules(file));
        }
        return all;
    }

    private static List<JsonNode> rules(Path file) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode group : read(YAML, file).path("groups")) {
            group.path("rules").forEach(all::add);
        }
        return all;
    }

    private static List<Path> yamlFiles(Path dir) {
        List<Path> files = new ArrayList<>(files(dir, ".yml"));
        files.addAll(files(dir, ".yaml"));
        return files;
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
