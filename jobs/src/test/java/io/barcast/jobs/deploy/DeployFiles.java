package io.barcast.jobs.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads barcast's deployment files for the tests that check them: paths from the repository root,
 * YAML as Jackson trees (through SnakeYAML, which resolves the anchors and merge keys Compose files
 * use), and the public schemas under {@code ../shared/schemas/}, skipping a test when one is
 * absent.
 */
final class DeployFiles {

    /** The repository root, seen from the module the tests run in. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static final ObjectMapper JSON = new ObjectMapper();

    /** Keys whose values are secrets wherever they appear. */
    static final Pattern SECRET_NAME =
            Pattern.compile(".*(PASSWORD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|_KEY$|^KEY$).*");

    private static final Pattern JOB_JAR = Pattern.compile("<shadedClassifierName>(.+?)<");
    private static final Pattern MAIN_CLASS = Pattern.compile("<mainClass>(.+?)</mainClass>");
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>(barcast-jobs)<");

    private DeployFiles() {}

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The one YAML document of a file, anchors and merge keys resolved. */
    static JsonNode yaml(Path file) {
        return yamlText(read(file));
    }

    static JsonNode yamlText(String text) {
        Object loaded = new Yaml(new LoaderOptions()).load(text);
        return JSON.valueToTree(loaded);
    }

    /** Every YAML document of a file (Kubernetes manifests hold several). */
    static List<JsonNode> yamlDocuments(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(read(file))) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }

    /** A file of the shared schemas, or a skipped test saying which is missing. */
    static Path sharedSchema(String name) {
        Path schema = ROOT.resolveSibling("shared").resolve("schemas").resolve(name);
        assumeTrue(
                Files.isRegularFile(schema),
                () ->
                        "skipped: "
                                + schema
                                + " is absent (the shared schemas are not laid out here)");
        return schema;
    }

    /** The job jar's name parts and main class, as jobs/pom.xml's shade execution makes them. */
    record JobJar(String artifactId, String classifier, String mainClass) {

        static JobJar fromPom() {
            String pom = read(file("jobs/pom.xml"));
            return new JobJar(first(ARTIFACT_ID, pom), first(JOB_JAR, pom), first(MAIN_CLASS, pom));
        }

        /** The glob a build names the shaded jar with: any version. */
        String glob() {
            return artifactId + "-*-" + classifier + ".jar";
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("jobs/pom.xml has no " + pattern);
        }
        return matcher.group(1);
    }

    /** The flat settings of a barcast YAML config held in a string (e.g. a ConfigMap entry). */
    static Map<String, String> barcastSettings(String yaml, Path scratch) {
        try {
            Path file = Files.createTempFile(scratch, "barcast", ".yaml");
            Files.writeString(file, yaml);
            return io.barcast.jobs.options.BarcastConfig.readYaml(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
