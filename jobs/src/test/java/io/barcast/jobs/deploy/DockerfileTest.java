package io.barcast.jobs.deploy;

import static io.barcast.jobs.deploy.DeployFiles.ROOT;
import static io.barcast.jobs.deploy.DeployFiles.file;
import static io.barcast.jobs.deploy.DeployFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.jobs.PredictionJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker/Dockerfile names what the build really makes: the shaded job jar of jobs/pom.xml,
 * its main class, the files it copies, and base images of the Flink and Java versions barcast
 * builds against. (No Docker engine here: the image itself is not built by the tests.)
 */
class DockerfileTest {

    private static final Path DOCKERFILE = file("deploy/docker/Dockerfile");
    private static final Pattern USRLIB_JAR =
            Pattern.compile("COPY .*\\s(/opt/flink/usrlib/\\S+\\.jar)");
    private static final Pattern CONTEXT_COPY =
            Pattern.compile("(?m)^COPY (?!.*--from=)(?:--\\S+ )*(\\S+) (\\S+)$");

    /** The job jar's path in the Flink image. */
    static String usrlibJar() {
        Matcher matcher = USRLIB_JAR.matcher(read(DOCKERFILE));
        assertThat(matcher.find())
                .as("the Dockerfile copies a jar into /opt/flink/usrlib")
                .isTrue();
        return matcher.group(1);
    }

    @Test
    void flinkImageGetsTheShadedJarOfJobsPom() {
        DeployFiles.JobJar jar = DeployFiles.JobJar.fromPom();
        String dockerfile = read(DOCKERFILE);

        assertThat(jar.mainClass()).isEqualTo(PredictionJob.class.getName());
        String built = "/out/" + Path.of(usrlibJar()).getFileName();
        assertThat(dockerfile)
                .contains("cp jobs/target/" + jar.glob() + " " + built)
                .containsPattern(
                        "COPY --from=build \\S* ?"
                                + Pattern.quote(built)
                                + " "
                                + Pattern.quote(usrlibJar()));
        assertThat(read(file("deploy/docker/barcast-job.sh")))
                .contains("standalone-job --job-classname " + jar.mainClass());
        assertThat(Files.isExecutable(file("deploy/docker/barcast-job.sh"))).isTrue();
    }

    @Test
    void everyFileTheImagesCopyIsInTheBuildContext() {
        List<String> sources = new ArrayList<>();
        Matcher matcher = CONTEXT_COPY.matcher(read(DOCKERFILE));
        while (matcher.find()) {
            sources.add(matcher.group(1));
        }
        assertThat(sources)
                .contains(
                        "deploy/flink/config.yaml",
                        "models/default",
                        "deploy/docker/barcast-job.sh");
        List<String> ignored =
                read(file(".dockerignore"))
                        .lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .map(line -> line.replace("**/", "").replaceAll("/$", ""))
                        .toList();
        for (String source : sources) {
            if (source.equals(".")) {
                continue;
            }
            assertThat(Files.exists(ROOT.resolve(source))).as(source).isTrue();
            assertThat(ignored)
                    .noneMatch(
                            pattern -> source.equals(pattern) || source.startsWith(pattern + "/"));
        }
        assertThat(ROOT.resolve("models/default/model.json")).isRegularFile();
        assertThat(ROOT.resolve("models/default/model.onnx")).isRegularFile();
    }

    @Test
    void baseImagesMatchTheVersionsBarcastBuildsAgainst() {
        String pom = read(file("pom.xml"));
        String flink = property(pom, "flink.version");
        String java = property(pom, "maven.compiler.release");
        String dockerfile = read(DOCKERFILE);

        assertThat(dockerfile)
                .contains("ARG FLINK_IMAGE=flink:" + flink + "-scala_2.12-java" + java + "\n")
                .containsPattern("ARG JDK_IMAGE=eclipse-temurin:" + java + "\\.[0-9._]+-jdk-\\S+\n")
                .containsPattern(
                        "ARG JRE_IMAGE=eclipse-temurin:" + java + "\\.[0-9._]+-jre-\\S+\n");
    }

    @Test
    void apiImageStartsTheCliAsTheLauncherDoes() throws Exception {
        String dockerfile = read(DOCKERFILE);
        Matcher opens = Pattern.compile("--add-opens=\\S+").matcher(read(file("barcast")));
        int count = 0;
        while (opens.find()) {
            assertThat(dockerfile).contains(opens.group());
            count++;
        }
        assertThat(count).isPositive();
        String cli = "io.barcast.jobs.cli.BarcastCli";
        assertThat(Class.forName(cli)).isNotNull();
        assertThat(dockerfile)
                .contains("-cp \"/opt/barcast/lib/*\" " + cli)
                .contains("CMD [\"api\", \"--config\", \"/etc/barcast/barcast.yaml\"]")
                .contains("EXPOSE 8090");
    }

    private static String property(String pom, String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)<").matcher(pom);
        assertThat(matcher.find()).as(name).isTrue();
        return matcher.group(1);
    }
}
