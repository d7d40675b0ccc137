package io.barcast.jobs.deploy;

import static io.barcast.jobs.deploy.DeployFiles.file;
import static io.barcast.jobs.deploy.DeployFiles.yaml;
import static io.barcast.jobs.deploy.DeployFiles.yamlDocuments;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.barcast.jobs.FlinkSettings;
import io.barcast.jobs.PredictionJob;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.PipelineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s/flinkdeployment.yaml against the Flink Kubernetes Operator's CRD (as strictly as
 * {@code kubectl apply} validates fields), every Flink key of it and of deploy/flink/config.yaml
 * against the keys Flink 2.2 knows, and the deployment against the image and barcast's settings.
 */
class FlinkDeploymentTest {

    private static final Path DEPLOYMENT = file("deploy/k8s/flinkdeployment.yaml");
    private static final Path CONFIG_MAP = file("deploy/k8s/configmap.yaml");
    private static final Path FLINK_CONFIG = file("deploy/flink/config.yaml");
    private static final String CRD = "flinkdeployments.flink.apache.org-v1.yml";

    private static FlinkConfigKeys flinkKeys;

    @TempDir Path scratch;

    @BeforeAll
    static void collectFlinkKeys() {
        flinkKeys = FlinkConfigKeys.onClasspath();
    }

    @Test
    void deploymentValidatesAgainstTheOperatorsCrd() {
        JsonNode crd = yaml(DeployFiles.sharedSchema(CRD));
        JsonNode deployment = yaml(DEPLOYMENT);

        assertThat(deployment.path("apiVersion").asText())
                .isEqualTo(
                        crd.at("/spec/group").asText()
                                + "/"
                                + servedVersion(crd).path("name").asText());
        assertThat(deployment.path("kind").asText()).isEqualTo(crd.at("/spec/names/kind").asText());
        assertThat(problems(specSchema(crd), deployment.path("spec"))).isEmpty();
    }

    @Test
    void crdCheckRejectsBrokenDeployments() {
        Schema schema = specSchema(yaml(DeployFiles.sharedSchema(CRD)));
        JsonNode spec = yaml(DEPLOYMENT).path("spec");

        // a misspelled field (kubectl's strict field validation refuses it)
        assertThat(
                        problems(
                                schema,
                                changed(
                                        spec,
                                        s ->
                                                job(s).set(
                                                                "upgradMode",
                                                                job(s).remove("upgradeMode")))))
                .anyMatch(problem -> problem.contains("upgradMode"));
        // a value outside an enum
        assertThat(problems(schema, changed(spec, s -> s.put("flinkVersion", "v2_9"))))
                .anyMatch(problem -> problem.contains("flinkVersion"));
        // a wrong type deep in the pod template
        assertThat(problems(schema, withContainerField(spec, "env", "POLYGON_API_KEY")))
                .anyMatch(problem -> problem.contains("env"));
        // an unknown field in the pod template's container
        assertThat(problems(schema, withContainerField(spec, "enviroment", "x")))
                .anyMatch(problem -> problem.contains("enviroment"));
    }

    /** The spec with a field of the pod template's first container set to a text. */
    private static JsonNode withContainerField(JsonNode spec, String field, String value) {
        return changed(
                spec, s -> ((ObjectNode) s.at("/podTemplate/spec/containers/0")).put(field, value));
    }

    @Test
    void everyFlinkKeyOfTheDeploymentAndTheClusterConfigIsOneFlinkKnows() {
        assertThat(flinkKeys.scannedJars())
                .anyMatch(jar -> jar.startsWith("flink-core-"))
                .anyMatch(jar -> jar.startsWith("flink-runtime-"))
                .anyMatch(jar -> jar.startsWith("flink-statebackend-rocksdb-"))
                .anyMatch(jar -> jar.startsWith("flink-metrics-prometheus-"));

        Map<String, String> deployment = flatten(yaml(DEPLOYMENT).at("/spec/flinkConfiguration"));
        Map<String, String> cluster = flatten(yaml(FLINK_CONFIG));

        assertThat(deployment).isNotEmpty();
        assertThat(cluster).containsKeys("state.backend.type", "metrics.reporter.prom.port");
        assertThat(flinkKeys.unknown(deployment.keySet()))
                .as("unknown keys in " + DEPLOYMENT)
                .isEmpty();
        assertThat(flinkKeys.unknown(cluster.keySet()))
                .as("unknown keys in " + FLINK_CONFIG)
                .isEmpty();
    }

    @Test
    void keyCheckRefusesKeysFlinkDoesNotKnow() {
        assertThat(flinkKeys.isKnown("state.backend.type")).isTrue();
        assertThat(flinkKeys.isKnown("state.backend.rocksdb.memory.managed")).isTrue();
        // an option under its old, deprecated name still configures Flink
        assertThat(flinkKeys.isKnown("state.checkpoints.dir")).isTrue();
        assertThat(flinkKeys.isKnown("metrics.reporter.anyname.factory.class")).isTrue();
        assertThat(flinkKeys.isKnown("metrics.reporter.prom.port")).isTrue();

        assertThat(
                        flinkKeys.unknown(
                                List.of("state.backend.typ", "execution.checkpointing.intervall")))
                .containsExactly("state.backend.typ", "execution.checkpointing.intervall");
        assertThat(flinkKeys.isKnown("metrics.reporter.prom.prot")).isFalse();
        assertThat(flinkKeys.isKnown("metrics.reporter.port")).isFalse();
        assertThat(flinkKeys.isKnown("port")).isFalse();
    }

    @Test
    void clusterConfigAgreesWithWhatTheJobSetsItself() {
        Map<String, String> cluster = flatten(yaml(FLINK_CONFIG));
        BarcastConfig defaults = BarcastConfig.of(Map.of());
        Map<String, String> job = FlinkSettings.of(defaults).toMap();
        for (String key :
                List.of(
                        "state.backend.type",
                        "execution.checkpointing.incremental",
                        "execution.checkpointing.mode",
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "restart-strategy.type",
                        "metrics.reporter.prom.factory.class",
                        "metrics.reporter.prom.port",
                        "parallelism.default")) {
            assertThat(cluster.get(key)).as(key).isEqualTo(job.get(key));
        }
        assertThat(cluster.get("execution.checkpointing.dir")).endsWith("/checkpoints");
        assertThat(cluster.get("execution.checkpointing.savepoint-dir")).endsWith("/savepoints");
        assertThat(Integer.parseInt(cluster.get("taskmanager.numberOfTaskSlots")))
                .isGreaterThanOrEqualTo(defaults.get(PipelineOptions.PARALLELISM));
    }

    @Test
    void deploymentRunsTheJobOfTheImageWithBarcastsSettings() {
        JsonNode spec = yaml(DEPLOYMENT).path("spec");
        JsonNode job = spec.path("job");

        String flinkVersion = EnvironmentInformation.getVersion();
        assertThat(spec.path("flinkVersion").asText())
                .as("the Flink on the classpath is " + flinkVersion)
                .isEqualTo("v" + flinkVersion.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"));
        assertThat(spec.path("image").asText()).matches(".+:[^:/]+").doesNotEndWith(":latest");

        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + DockerfileTest.usrlibJar());
        assertThat(job.path("entryClass").asText()).isEqualTo(PredictionJob.class.getName());
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");

        List<String> args = new ArrayList<>();
        job.path("args").forEach(arg -> args.add(arg.asText()));
        assertThat(args).containsExactly("--config", configMountPath(spec) + "/barcast.yaml");

        BarcastConfig barcast = BarcastConfig.of(configMapSettings());
        String state = FlinkSettings.stateDir(barcast);
        Map<String, String> flink = flatten(spec.path("flinkConfiguration"));
        assertThat(state).startsWith("s3://");
        assertThat(flink)
                .containsEntry("execution.checkpointing.dir", state + "/checkpoints")
                .containsEntry("execution.checkpointing.savepoint-dir", state + "/savepoints")
                .containsEntry(
                        "metrics.reporter.prom.port", barcast.get(PipelineOptions.PROMETHEUS_PORT));
        assertThat(job.path("parallelism").asInt())
                .isEqualTo(barcast.get(PipelineOptions.PARALLELISM));
        assertThat(Integer.parseInt(flink.get("taskmanager.numberOfTaskSlots")))
                .isGreaterThanOrEqualTo(barcast.get(PipelineOptions.PARALLELISM));
        // s3:// needs the S3 file system plugin of the image's opt/ folder, of this Flink version
        assertThat(containerEnv(spec))
                .containsEntry(
                        "ENABLE_BUILT_IN_PLUGINS", "flink-s3-fs-presto-" + flinkVersion + ".jar");
    }

    @Test
    void secretsReachThePodsFromSecretsOnly() {
        JsonNode spec = yaml(DEPLOYMENT).path("spec");
        JsonNode env = spec.at("/podTemplate/spec/containers/0/env");
        List<String> fromSecrets = new ArrayList<>();
        for (JsonNode variable : env) {
            String name = variable.path("name").asText();
            if (DeployFiles.SECRET_NAME.matcher(name).matches()) {
                assertThat(variable.has("value")).as(name + " has a value inline").isFalse();
                assertThat(variable.at("/valueFrom/secretKeyRef/name").asText()).isNotEmpty();
                fromSecrets.add(name);
            }
        }
        assertThat(fromSecrets).contains("POLYGON_API_KEY", "BARCAST_JDBC_PASSWORD");
        assertThat(configMapSettings())
                .doesNotContainKeys("jdbc.password", "polygon.api-key")
                .allSatisfy((key, value) -> assertThat(key).doesNotContainIgnoringCase("password"));
        for (JsonNode document : yamlDocuments(file("deploy/k8s/secret.example.yaml"))) {
            document.path("stringData")
                    .forEach(value -> assertThat(value.asText()).matches("<[^>]+>|"));
        }
    }

    /** barcast's settings as the ConfigMap holds them. */
    private Map<String, String> configMapSettings() {
        for (JsonNode document : yamlDocuments(CONFIG_MAP)) {
            if (document.path("kind").asText().equals("ConfigMap")) {
                return DeployFiles.barcastSettings(
                        document.at("/data/barcast.yaml").asText(), scratch);
            }
        }
        throw new AssertionError(CONFIG_MAP + " holds no ConfigMap");
    }

    /** Where the pod template mounts the ConfigMap of barcast's settings. */
    private static String configMountPath(JsonNode spec) {
        String volume = null;
        for (JsonNode candidate : spec.at("/podTemplate/spec/volumes")) {
            if (candidate.at("/configMap/name").asText().equals("barcast-config")) {
                volume = candidate.path("name").asText();
            }
        }
        assertThat(volume).as("a volume of ConfigMap barcast-config").isNotNull();
        for (JsonNode mount : spec.at("/podTemplate/spec/containers/0/volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("volume " + volume + " is not mounted");
    }

    private static Map<String, String> containerEnv(JsonNode spec) {
        Map<String, String> env = new LinkedHashMap<>();
        spec.at("/podTemplate/spec/containers/0/env")
                .forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
        return env;
    }

    private static JsonNode servedVersion(JsonNode crd) {
        for (JsonNode version : crd.at("/spec/versions")) {
            if (version.path("served").asBoolean(true) && version.path("storage").asBoolean(true)) {
                return version;
            }
        }
        throw new AssertionError("the CRD serves no version");
    }

    /**
     * The CRD's schema of {@code spec} as JSON Schema (OpenAPI 3.0 dialect, which knows {@code
     * nullable}). Kubernetes rejects unknown fields under strict field validation (kubectl's
     * default) unless {@code x-kubernetes-preserve-unknown-fields}: so every object schema with
     * properties gets {@code additionalProperties: false}, and the other x-kubernetes-* markers go.
     */
    static Schema specSchema(JsonNode crd) {
        ObjectNode schema =
                (ObjectNode)
                        servedVersion(crd).at("/schema/openAPIV3Schema/properties/spec").deepCopy();
        strict(schema);
        return SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30()).getSchema(schema);
    }

    private static void strict(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(FlinkDeploymentTest::strict);
            return;
        }
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        Iterator<String> names = schema.fieldNames();
        List<String> markers = new ArrayList<>();
        names.forEachRemaining(
                name -> {
                    if (name.startsWith("x-kubernetes-")) {
                        markers.add(name);
                    }
                });
        schema.remove(markers);
        if (schema.has("properties") && !schema.has("additionalProperties") && !preserve) {
            schema.put("additionalProperties", false);
        }
        schema.path("properties").forEach(FlinkDeploymentTest::strict);
        for (String nested : List.of("items", "additionalProperties", "not")) {
            strict(schema.path(nested));
        }
        for (String alternatives : List.of("anyOf", "allOf", "oneOf")) {
            strict(schema.path(alternatives));
        }
    }

    static List<String> problems(Schema schema, JsonNode document) {
        return schema.validate(document).stream().map(Error::toString).toList();
    }

    private static JsonNode changed(JsonNode spec, Consumer<ObjectNode> change) {
        ObjectNode copy = spec.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static ObjectNode job(ObjectNode spec) {
        return (ObjectNode) spec.path("job");
    }

    /** Flink's YAML as dotted keys: nested maps joined with '.', values as text. */
    static Map<String, String> flatten(JsonNode node) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", node, flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            field ->
                                    flatten(
                                            prefix.isEmpty()
                                                    ? field.getKey()
                                                    : prefix + "." + field.getKey(),
                                            field.getValue(),
                                            out));
        } else if (!node.isMissingNode()) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
