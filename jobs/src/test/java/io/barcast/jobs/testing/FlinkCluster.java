package io.barcast.jobs.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.jobs.local.FreePorts;
import io.barcast.jobs.options.BarcastConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A real standalone Flink cluster on this machine: a JobManager and task managers, each its own JVM
 * started from Flink's entry points the way Flink's scripts start them (the memory flags and
 * dynamic properties that {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} compute, from
 * the same Flink code, and the configuration's {@code env.java.opts.all}), with only Flink's
 * libraries on the class path ({@code barcast-flink-lib}). barcast's classes reach it in the job
 * jar, through {@link #flink} — Flink's own command line.
 *
 * <p>The configuration is barcast's {@code deploy/flink/config.yaml} with this machine's addresses,
 * ports and folders put over it. Logs go to {@code <dir>/*.log}.
 */
public final class FlinkCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private final Path dir;
    private final Path conf;
    private final String classPath;
    private final Configuration config;
    private final List<String> javaOptions;
    private final int restPort;
    private final List<CliProcess> processes = new ArrayList<>();
    private final Map<String, CliProcess> taskManagers = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private int commands;

    private FlinkCluster(
            Path dir, Path conf, String classPath, Configuration config, int restPort) {
        this.dir = dir;
        this.conf = conf;
        this.classPath = classPath;
        this.config = config;
        // what Flink's scripts pass to every Flink JVM (on Java 17, the --add-opens Flink needs)
        this.javaOptions =
                words(
                        config.toMap().getOrDefault("env.java.default-opts.all", "")
                                + " "
                                + config.toMap().getOrDefault("env.java.opts.all", ""));
        this.restPort = restPort;
    }

    /**
     * Starts a JobManager and {@code taskManagers} task managers (ids {@code tm-1}, {@code tm-2},
     * ...) with {@code slots} slots each, and waits until every one has registered.
     *
     * @param baseConfig the cluster configuration to start from (deploy/flink/config.yaml)
     * @param flinkLib the file holding Flink's class path (target/flink-lib.classpath)
     */
    public static FlinkCluster start(
            Path dir, Path baseConfig, Path flinkLib, int taskManagers, int slots)
            throws IOException {
        Files.createDirectories(dir);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        int restPort = FreePorts.onLoopback();
        Map<String, String> settings = new LinkedHashMap<>(BarcastConfig.readYaml(baseConfig));
        // this machine: loopback addresses, free ports, folders under dir
        settings.put("jobmanager.rpc.address", "localhost");
        settings.put("jobmanager.bind-host", "localhost");
        settings.put("jobmanager.rpc.port", Integer.toString(FreePorts.onLoopback()));
        settings.put("taskmanager.bind-host", "localhost");
        settings.put("taskmanager.host", "localhost");
        settings.put("rest.address", "localhost");
        settings.put("rest.bind-address", "localhost");
        settings.put("rest.port", Integer.toString(restPort));
        settings.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        settings.put("jobmanager.memory.process.size", "1024m");
        settings.put("taskmanager.memory.process.size", "1600m");
        settings.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        settings.put(
                "execution.checkpointing.savepoint-dir",
                dir.resolve("savepoints").toUri().toString());
        settings.put("io.tmp.dirs", Files.createDirectories(dir.resolve("tmp")).toString());
        settings.put("web.upload.dir", Files.createDirectories(dir.resolve("upload")).toString());
        settings.put("high-availability.type", "NONE");
        // a task manager that is gone is noticed in seconds, not the default 50
        settings.put("heartbeat.interval", "1 s");
        settings.put("heartbeat.timeout", "10 s");
        settings.remove("metrics.reporter.prom.port");
        StringBuilder yaml = new StringBuilder();
        settings.forEach((k, v) -> yaml.append(k).append(": ").append(quoted(v)).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(
                conf.resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.console.ref = ConsoleAppender",
                        "appender.console.name = ConsoleAppender",
                        "appender.console.type = CONSOLE",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                        "logger.netty.name = org.apache.flink.shaded.netty4",
                        "logger.netty.level = WARN",
                        ""));
        Configuration config = Configuration.fromMap(settings);
        String classPath = Files.readString(flinkLib).trim();
        FlinkCluster cluster = new FlinkCluster(dir, conf, classPath, config, restPort);
        try {
            cluster.startJobManager();
            for (int i = 1; i <= taskManagers; i++) {
                cluster.startTaskManager("tm-" + i);
            }
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .failFast(
                            "a cluster process ended",
                            () -> cluster.processes.stream().anyMatch(p -> !p.isAlive()))
                    .until(
                            () ->
                                    cluster.get("/taskmanagers").get("taskmanagers").size()
                                            == taskManagers);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private void startJobManager() {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(config);
        List<String> jvm =
                new ArrayList<>(
                        words(JobManagerProcessUtils.generateJvmParametersStr(spec, config)));
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        processes.add(
                launch(
                        "jobmanager",
                        jvm,
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                        args));
    }

    /** Starts a task manager with this resource id and waits for nothing. */
    public void startTaskManager(String id) {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(config);
        List<String> jvm =
                new ArrayList<>(words(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        args.addAll(List.of("-D", "taskmanager.resource-id=" + id));
        CliProcess process =
                launch(id, jvm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", args);
        processes.add(process);
        taskManagers.put(id, process);
    }

    private CliProcess launch(String name, List<String> jvm, String main, List<String> args) {
        List<String> options = new ArrayList<>(jvm);
        options.addAll(javaOptions);
        options.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        options.add("-Dlog.file=" + dir.resolve(name + ".log"));
        List<String> all = new ArrayList<>(args);
        // each process its own Prometheus port (the configuration's is for one per machine)
        all.addAll(List.of("-D", "metrics.reporter.prom.port=" + FreePorts.onLoopback()));
        return CliProcess.startJava(
                dir.resolve(name + ".log"), Map.of(), classPath, options, main, all);
    }

    private static List<String> words(String flags) {
        return Arrays.stream(flags.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** The REST API (and web UI) address. */
    public String restUrl() {
        return "http://localhost:" + restPort;
    }

    /**
     * Runs Flink's command line ({@code flink ARGS...}, {@code CliFrontend} with this cluster's
     * configuration directory, as {@code bin/flink} does) and returns what it printed, failing when
     * it exits with an error.
     */
    public String flink(Map<String, String> environment, String... args) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("FLINK_CONF_DIR", conf.toString());
        Path output = dir.resolve("flink-" + (++commands) + "-" + args[0] + ".out");
        List<String> options = new ArrayList<>(List.of("-Xmx512m"));
        options.addAll(javaOptions);
        options.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        try (CliProcess cli =
                CliProcess.startJava(
                        output,
                        env,
                        classPath,
                        options,
                        "org.apache.flink.client.cli.CliFrontend",
                        List.of(args))) {
            int exit = cli.waitFor(START_TIMEOUT);
            if (exit != 0) {
                throw new AssertionError(
                        "flink "
                                + String.join(" ", args)
                                + " exited "
                                + exit
                                + ":\n"
                                + cli.output());
            }
            return cli.output();
        }
    }

    /** {@code flink run -d ...}: the id of the job it submitted. */
    public static String jobIdIn(String runOutput) {
        Matcher matcher = JOB_ID.matcher(runOutput);
        if (!matcher.find()) {
            throw new AssertionError("no job id in:\n" + runOutput);
        }
        return matcher.group(1);
    }

    /** {@code flink stop ...}: the savepoint it took. */
    public static String savepointIn(String stopOutput) {
        Matcher matcher = SAVEPOINT.matcher(stopOutput);
        if (!matcher.find()) {
            throw new AssertionError("no savepoint path in:\n" + stopOutput);
        }
        return matcher.group(1);
    }

    /** The job's state (RUNNING, RESTARTING, FINISHED, ...). */
    public String jobState(String jobId) throws Exception {
        return get("/jobs/" + jobId).get("state").asText();
    }

    /** How many times the job restarted. */
    public long restarts(String jobId) throws Exception {
        JsonNode metric = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        return metric.isArray() && metric.size() > 0 ? metric.get(0).get("value").asLong() : 0;
    }

    /** The resource ids of the task managers running tasks of the job. */
    public List<String> taskManagersOf(String jobId) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode vertex : get("/jobs/" + jobId).get("vertices")) {
            JsonNode managers =
                    get("/jobs/"
                                    + jobId
                                    + "/vertices/"
                                    + vertex.get("id").asText()
                                    + "/taskmanagers")
                            .get("taskmanagers");
            for (JsonNode manager : managers) {
                String id = manager.get("taskmanager-id").asText();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Cancels every job that has not ended, through the REST API, and waits until none runs. */
    public void cancelRunningJobs() throws Exception {
        for (JsonNode job : get("/jobs").get("jobs")) {
            if (!TERMINAL.contains(job.get("status").asText())) {
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                restUrl()
                                                        + "/jobs/"
                                                        + job.get("id").asText()
                                                        + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> {
                            for (JsonNode job : get("/jobs").get("jobs")) {
                                if (!TERMINAL.contains(job.get("status").asText())) {
                                    return false;
                                }
                            }
                            return true;
                        });
    }

    private static final List<String> TERMINAL = List.of("FINISHED", "CANCELED", "FAILED");

    /** SIGKILL to a task manager, as a crashed machine or the OOM killer would end it. */
    public void kill(String taskManagerId) throws InterruptedException {
        taskManagers.get(taskManagerId).kill();
    }

    /** A GET on the REST API, as JSON. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    /** The log of a process (jobmanager, tm-1, ...), for assertion messages. */
    public String log(String name) {
        try {
            Path log = dir.resolve(name + ".log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (CliProcess process : processes) {
            try {
                process.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
