package io.barcast.jobs.deploy;

import static io.barcast.jobs.deploy.DeployFiles.file;
import static io.barcast.jobs.deploy.DeployFiles.read;
import static io.barcast.jobs.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.barcast.jobs.options.ApiOptions;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.RecoveryOptions;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml against the Compose specification and {@code docker-compose config}, and what
 * a schema cannot see: services wait for healthy dependencies, images are pinned, secrets come from
 * .env only, and barcast's settings (deploy/compose/barcast.yaml) name the hosts and ports the
 * services really have.
 */
class ComposeFileTest {

    private static final Path COMPOSE = file("docker-compose.yml");
    private static final Path ENV_EXAMPLE = file(".env.example");
    private static final Path FLINK_CONFIG = file("deploy/flink/config.yaml");
    private static final Path PROMETHEUS_CONFIG = file("deploy/prometheus/prometheus.yml");
    private static final List<String> SERVICES =
            List.of(
                    "kafka",
                    "postgres",
                    "jobmanager",
                    "taskmanager",
                    "api",
                    "prometheus",
                    "grafana");
    private static final Pattern VARIABLE =
            Pattern.compile(
                    "(?<!\\$)\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)[^}]*}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern VARIABLE_ONLY =
            Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?}");
    private static final String BARCAST_CONFIG_DIR = "/etc/barcast/";

    @TempDir Path scratch;

    @Test
    void composeFileValidatesAgainstTheComposeSpecification() {
        Schema schema = composeSchema();
        assertThat(FlinkDeploymentTest.problems(schema, yaml(COMPOSE))).isEmpty();
    }

    @Test
    void schemaCheckRejectsBrokenComposeFiles() {
        Schema schema = composeSchema();
        JsonNode compose = yaml(COMPOSE);

        assertThat(
                        FlinkDeploymentTest.problems(
                                schema,
                                changed(
                                        compose,
                                        c -> service(c, "api").put("restart_policy", "always"))))
                .anyMatch(problem -> problem.contains("restart_policy"));
        assertThat(
                        FlinkDeploymentTest.problems(
                                schema,
                                changed(
                                        compose,
                                        c ->
                                                ((ObjectNode)
                                                                service(c, "postgres")
                                                                        .path("healthcheck"))
                                                        .put("intervall", "5s"))))
                .anyMatch(problem -> problem.contains("intervall"));
    }

    @Test
    void dockerComposeReadsTheFileWithTheVariablesOfEnvExample() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : envExample().keySet()) {
            env.put(name, "dummy-" + name.toLowerCase());
        }
        DockerCompose result = dockerCompose(env);
        assertThat(result.exitCode()).as(result.output()).isZero();

        JsonNode resolved = DeployFiles.yamlText(result.output());
        assertThat(resolved.path("services").fieldNames()).toIterable().containsAll(SERVICES);
        assertThat(resolved.at("/services/jobmanager/environment/BARCAST_JDBC_PASSWORD").asText())
                .isEqualTo("dummy-postgres_password");
        assertThat(resolved.at("/services/postgres/environment/POSTGRES_PASSWORD").asText())
                .isEqualTo("dummy-postgres_password");
    }

    @Test
    void dockerComposeRefusesToRunWithoutThePasswords() throws Exception {
        DockerCompose result = dockerCompose(Map.of());
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("POSTGRES_PASSWORD");
    }

    @Test
    void servicesAreTheAgreedOnes() {
        assertThat(yaml(COMPOSE).path("services").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrderElementsOf(SERVICES);
    }

    @Test
    void everyDependencyWaitsForAHealthyService() {
        assertThat(dependencyProblems(yaml(COMPOSE))).isEmpty();
        assertThat(yaml(COMPOSE).at("/services/jobmanager/depends_on").fieldNames())
                .toIterable()
                .contains("kafka", "postgres");
    }

    @Test
    void everyImageIsPinned() {
        assertThat(imageProblems(yaml(COMPOSE))).isEmpty();
    }

    @Test
    void noSecretIsInline() {
        assertThat(secretProblems(yaml(COMPOSE))).isEmpty();
        assertThat(envExample()).allSatisfy((name, value) -> assertThat(value).as(name).isEmpty());
        assertThat(read(file(".gitignore")).lines()).contains(".env");
        for (Path config : barcastConfigFiles(yaml(COMPOSE))) {
            assertThat(BarcastConfig.readYaml(config))
                    .doesNotContainKeys(JdbcOptions.PASSWORD.key(), "polygon.api-key");
        }
    }

    @Test
    void everyVariableIsInEnvExample() {
        Set<String> used = variables(yaml(COMPOSE));
        assertThat(used).isNotEmpty();
        assertThat(envExample().keySet()).containsAll(used);
        assertThat(used)
                .as("variables of .env.example that nothing uses")
                .containsAll(envExample().keySet());
    }

    @Test
    void ownChecksCatchBrokenComposeFiles() {
        JsonNode compose = yaml(COMPOSE);
        assertThat(
                        dependencyProblems(
                                changed(
                                        compose,
                                        c ->
                                                ((ObjectNode)
                                                                service(c, "api")
                                                                        .at("/depends_on/kafka"))
                                                        .put("condition", "service_started"))))
                .isNotEmpty();
        assertThat(
                        dependencyProblems(
                                changed(compose, c -> service(c, "kafka").remove("healthcheck"))))
                .isNotEmpty();
        assertThat(
                        imageProblems(
                                changed(
                                        compose,
                                        c -> service(c, "postgres").put("image", "postgres"))))
                .isNotEmpty();
        assertThat(
                        imageProblems(
                                changed(
                                        compose,
                                        c ->
                                                service(c, "grafana")
                                                        .put("image", "grafana/grafana:latest"))))
                .isNotEmpty();
        assertThat(
                        secretProblems(
                                changed(
                                        compose,
                                        c ->
                                                ((ObjectNode)
                                                                service(c, "grafana")
                                                                        .path("environment"))
                                                        .put(
                                                                "GF_SECURITY_ADMIN_PASSWORD",
                                                                "admin"))))
                .isNotEmpty();
        assertThat(
                        variables(
                                changed(
                                        compose,
                                        c ->
                                                ((ObjectNode) service(c, "api").path("environment"))
                                                        .put("EXTRA", "${UNDECLARED:-x}"))))
                .contains("UNDECLARED");
    }

    @Test
    void portsArePublishedOnTheLoopbackAddressOnly() {
        List<String> published = new ArrayList<>();
        yaml(COMPOSE)
                .path("services")
                .forEach(service -> service.path("ports").forEach(p -> published.add(p.asText())));
        assertThat(published)
                .containsExactlyInAnyOrder(
                        "127.0.0.1:8081:8081",
                        "127.0.0.1:8090:8090",
                        "127.0.0.1:3000:3000",
                        "127.0.0.1:9090:9090");
    }

    @Test
    void barcastSettingsNameTheServicesAndPortsTheyHave() {
        JsonNode compose = yaml(COMPOSE);
        Map<String, String> cluster = FlinkDeploymentTest.flatten(yaml(FLINK_CONFIG));
        List<Path> configs = barcastConfigFiles(compose);
        assertThat(configs).isNotEmpty();
        for (Path file : configs) {
            BarcastConfig config = BarcastConfig.of(BarcastConfig.readYaml(file));

            JsonNode kafka = environment(service(compose, "kafka"));
            String internal = kafka.path("KAFKA_INTER_BROKER_LISTENER_NAME").asText();
            assertThat(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                    .isEqualTo(
                            listener(kafka.path("KAFKA_ADVERTISED_LISTENERS").asText(), internal))
                    .startsWith("kafka:");

            JsonNode postgres = environment(service(compose, "postgres"));
            URI jdbc = URI.create(config.get(JdbcOptions.URL).substring("jdbc:".length()));
            assertThat(jdbc.getHost()).isEqualTo("postgres");
            assertThat(jdbc.getPort()).isEqualTo(5432);
            assertThat(service(compose, "postgres").has("command")).isFalse();
            assertThat(jdbc.getPath()).isEqualTo("/" + postgres.path("POSTGRES_DB").asText());
            assertThat(config.get(JdbcOptions.USER))
                    .isEqualTo(postgres.path("POSTGRES_USER").asText());

            int apiPort = config.get(ApiOptions.PORT);
            JsonNode api = service(compose, "api");
            assertThat(containerPorts(api)).containsExactly(apiPort);
            assertThat(healthcheck(api)).contains("http://localhost:" + apiPort + "/ready");
            assertThat(config.get(PipelineOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");

            String restPort = cluster.get("rest.port");
            assertThat(config.get(ApiOptions.FLINK_REST_URL))
                    .isEqualTo("http://jobmanager:" + restPort);
            assertThat(containerPorts(service(compose, "jobmanager")))
                    .containsExactly(Integer.parseInt(restPort));
            assertThat(healthcheck(service(compose, "jobmanager")))
                    .contains("localhost:" + restPort + "/");

            // the reporter of the cluster is configured by deploy/flink/config.yaml (in the image)
            String reporterPort = config.get(PipelineOptions.PROMETHEUS_PORT);
            assertThat(cluster.get("metrics.reporter.prom.port")).isEqualTo(reporterPort);
            assertThat(healthcheck(service(compose, "taskmanager")))
                    .contains("localhost:" + reporterPort + "/metrics");

            String state = config.get(RecoveryOptions.STATE_DIR);
            assertThat(state).startsWith("file:///");
            String stateFolder = URI.create(state).getPath();
            String models = config.get(InferenceOptions.MODEL_DIR);
            for (String flink : List.of("jobmanager", "taskmanager")) {
                Map<String, String> mounts = mounts(service(compose, flink));
                assertThat(mounts)
                        .as(flink + " mounts")
                        .containsEntry(stateFolder + "/checkpoints", "checkpoints")
                        .containsEntry(stateFolder + "/savepoints", "savepoints")
                        .containsEntry(models, "./models");
            }
            assertThat(compose.path("volumes").fieldNames())
                    .toIterable()
                    .contains("checkpoints", "savepoints", "postgres-data");
            assertThat(mounts(service(compose, "postgres")))
                    .containsEntry("/var/lib/postgresql/data", "postgres-data");
            assertThat(mounts(api)).containsKey(config.get(ApiOptions.EXPORTS_DIR));
        }
        assertThat(service(compose, "jobmanager").path("command").toString())
                .contains("\"--config\",\"/etc/barcast/barcast.yaml\"");
    }

    @Test
    void prometheusScrapesTheClusterAndTheApi() {
        assumeTrue(
                Files.isRegularFile(PROMETHEUS_CONFIG),
                () -> "skipped: " + PROMETHEUS_CONFIG + " does not exist yet");
        BarcastConfig config =
                BarcastConfig.of(BarcastConfig.readYaml(barcastConfigFiles(yaml(COMPOSE)).get(0)));
        Map<String, Set<String>> pathsByTarget = new LinkedHashMap<>();
        for (JsonNode job : yaml(PROMETHEUS_CONFIG).path("scrape_configs")) {
            String path = job.path("metrics_path").asText("/metrics");
            List<String> targets = new ArrayList<>();
            job.path("static_configs")
                    .forEach(group -> group.path("targets").forEach(t -> targets.add(t.asText())));
            // DNS service discovery: every address of a name (each replica of a service)
            for (JsonNode dns : job.path("dns_sd_configs")) {
                dns.path("names")
                        .forEach(
                                name ->
                                        targets.add(
                                                name.asText() + ":" + dns.path("port").asText()));
            }
            targets.forEach(
                    target ->
                            pathsByTarget.computeIfAbsent(target, k -> new TreeSet<>()).add(path));
        }
        String reporter = config.get(PipelineOptions.PROMETHEUS_PORT);
        assertThat(pathsByTarget)
                .containsEntry("jobmanager:" + reporter, Set.of("/metrics"))
                .containsEntry("taskmanager:" + reporter, Set.of("/metrics"))
                .containsEntry("api:" + config.get(ApiOptions.PORT), Set.of("/metrics"));
        assertThat(mounts(service(yaml(COMPOSE), "prometheus")))
                .containsEntry(
                        "/etc/prometheus/prometheus.yml", "./deploy/prometheus/prometheus.yml")
                .containsEntry("/etc/prometheus/rules", "./deploy/prometheus/rules");
    }

    // ---------------------------------------------------------------------------------------
    // checks a schema cannot make; each returns what it found wrong

    static List<String> dependencyProblems(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        compose.path("services")
                .fields()
                .forEachRemaining(
                        entry -> {
                            JsonNode dependsOn = entry.getValue().path("depends_on");
                            if (dependsOn.isArray()) {
                                problems.add(entry.getKey() + ": depends_on without conditions");
                            }
                            dependsOn
                                    .fields()
                                    .forEachRemaining(
                                            dependency -> {
                                                String condition =
                                                        dependency
                                                                .getValue()
                                                                .path("condition")
                                                                .asText();
                                                String target = dependency.getKey();
                                                if (condition.equals("service_healthy")) {
                                                    JsonNode check =
                                                            compose.at(
                                                                    "/services/"
                                                                            + target
                                                                            + "/healthcheck");
                                                    if (check.isMissingNode()
                                                            || check.path("disable")
                                                                    .asBoolean(false)) {
                                                        problems.add(
                                                                entry.getKey()
                                                                        + " waits for "
                                                                        + target
                                                                        + ", which has no health check");
                                                    }
                                                } else if (!condition.equals(
                                                        "service_completed_successfully")) {
                                                    problems.add(
                                                            entry.getKey()
                                                                    + " depends on "
                                                                    + target
                                                                    + " with condition '"
                                                                    + condition
                                                                    + "'");
                                                }
                                            });
                        });
        return problems;
    }

    static List<String> imageProblems(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        compose.path("services")
                .fields()
                .forEachRemaining(
                        entry -> {
                            String image = entry.getValue().path("image").asText();
                            String tag =
                                    image.contains(":")
                                                    && !image.substring(image.lastIndexOf(':'))
                                                            .contains("/")
                                            ? image.substring(image.lastIndexOf(':') + 1)
                                            : "";
                            if (tag.isEmpty() || tag.equals("latest") || tag.contains("$")) {
                                problems.add(
                                        entry.getKey() + ": image '" + image + "' is not pinned");
                            }
                        });
        return problems;
    }

    /** Values of secret-named keys that are not a bare ${VAR} reference (or empty). */
    static List<String> secretProblems(JsonNode node) {
        List<String> problems = new ArrayList<>();
        secretProblems("", node, problems);
        return problems;
    }

    private static void secretProblems(String path, JsonNode node, List<String> problems) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            field -> {
                                String key = field.getKey();
                                JsonNode value = field.getValue();
                                if (value.isValueNode()) {
                                    checkSecret(path + "/" + key, key, value.asText(), problems);
                                } else {
                                    secretProblems(path + "/" + key, value, problems);
                                }
                            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (item.isTextual()
                        && path.endsWith("/environment")
                        && item.asText().contains("=")) {
                    String[] pair = item.asText().split("=", 2);
                    checkSecret(path + "/" + i, pair[0], pair[1], problems);
                } else {
                    secretProblems(path + "/" + i, item, problems);
                }
            }
        }
    }

    private static void checkSecret(String path, String key, String value, List<String> problems) {
        if (DeployFiles.SECRET_NAME.matcher(key.toUpperCase()).matches()
                && !value.isEmpty()
                && !VARIABLE_ONLY.matcher(value).matches()) {
            problems.add(path + " holds a value instead of a ${VARIABLE} from .env");
        }
    }

    /** The variables Compose interpolates: every $VAR and ${VAR...} of every value ($$ escapes). */
    static Set<String> variables(JsonNode node) {
        Set<String> names = new TreeSet<>();
        collectVariables(node, names);
        return names;
    }

    private static void collectVariables(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            Matcher matcher = VARIABLE.matcher(node.asText());
            while (matcher.find()) {
                names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
            }
        }
        node.forEach(child -> collectVariables(child, names));
    }

    // ---------------------------------------------------------------------------------------

    private static Schema composeSchema() {
        ObjectNode schema =
                (ObjectNode) DeployFiles.readJson(DeployFiles.sharedSchema("compose-spec.json"));
        // the document is draft 7; its $schema spelling is not a meta-schema the validator has
        // offline, and no network is needed to know the dialect
        schema.remove("$schema");
        // its relative $id is no base URI; every $ref in it is local (#/definitions/...)
        schema.remove("$id");
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schema);
    }

    private record DockerCompose(int exitCode, String output) {}

    /** {@code docker-compose config} with only {@code variables} as its .env. */
    private DockerCompose dockerCompose(Map<String, String> variables) throws Exception {
        Path executable = onPath("docker-compose");
        assumeTrue(
                executable != null,
                "skipped: docker-compose is not installed (Debian package docker-compose)");
        Path envFile = scratch.resolve("compose.env");
        StringBuilder env = new StringBuilder();
        variables.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
        Files.writeString(envFile, env);
        Path output = scratch.resolve("compose.out");
        ProcessBuilder builder =
                new ProcessBuilder(
                                executable.toString(),
                                "--env-file",
                                envFile.toString(),
                                "--project-directory",
                                DeployFiles.ROOT.toString(),
                                "-f",
                                COMPOSE.toString(),
                                "config")
                        .directory(scratch.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        // nothing of this machine's environment may stand in for .env
        Map<String, String> environment = builder.environment();
        environment.keySet().retainAll(Set.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("docker-compose config did not finish in 120 s");
        }
        return new DockerCompose(process.exitValue(), Files.readString(output));
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Map<String, String> envExample() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : read(ENV_EXAMPLE).lines().toList()) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                String[] pair = trimmed.split("=", 2);
                values.put(pair[0].trim(), pair.length > 1 ? pair[1].trim() : "");
            }
        }
        return values;
    }

    /** The barcast config files mounted into the services (under /etc/barcast/). */
    private static List<Path> barcastConfigFiles(JsonNode compose) {
        Set<Path> files = new LinkedHashSet<>();
        compose.path("services")
                .forEach(
                        service ->
                                mounts(service)
                                        .forEach(
                                                (target, source) -> {
                                                    if (target.startsWith(BARCAST_CONFIG_DIR)) {
                                                        files.add(
                                                                DeployFiles.ROOT
                                                                        .resolve(source)
                                                                        .normalize());
                                                    }
                                                }));
        return new ArrayList<>(files);
    }

    /** A service's volumes: container path to source (a named volume or a ./path). */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }

    private static List<Integer> containerPorts(JsonNode service) {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports")) {
            String[] parts = port.asText().split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1].replace("/tcp", "")));
        }
        return ports;
    }

    private static String healthcheck(JsonNode service) {
        JsonNode test = service.at("/healthcheck/test");
        List<String> words = new ArrayList<>();
        test.forEach(word -> words.add(word.asText()));
        return test.isArray() ? String.join(" ", words) : test.asText();
    }

    private static JsonNode environment(JsonNode service) {
        return service.path("environment");
    }

    /** host:port of listener {@code name} in a Kafka listeners list (NAME://host:port,...). */
    private static String listener(String listeners, String name) {
        for (String listener : listeners.split(",")) {
            if (listener.startsWith(name + "://")) {
                return listener.substring(name.length() + 3);
            }
        }
        throw new AssertionError("no listener " + name + " in " + listeners);
    }

    private static ObjectNode service(JsonNode compose, String name) {
        return (ObjectNode) compose.path("services").path(name);
    }

    private static JsonNode changed(JsonNode compose, Consumer<ObjectNode> change) {
        ObjectNode copy = compose.deepCopy();
        change.accept(copy);
        return copy;
    }
}
