package io.barcast.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.barcast.jobs.local.DemoFolder;
import io.barcast.jobs.local.FreePorts;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barcast demo} as users run it, in a process of its own: what it listens on, what a killed
 * demo leaves behind and how the next one deals with it, and what Ctrl-C leaves behind.
 */
class DemoProcessITCase {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(3);
    private static final String RUNNING = "barcast is running";

    /** Each run's own temporary folder: demos of other runs on this machine are none of ours. */
    @TempDir Path tmp;

    private final List<Demo> demos = new ArrayList<>();
    private final List<Long> postgresPids = new ArrayList<>();

    @BeforeEach
    void onLinuxOnly() {
        assumeTrue(
                Files.isReadable(Path.of("/proc/net/tcp")),
                "needs Linux's /proc to list the sockets a process listens on");
    }

    @AfterEach
    void killWhatIsLeft() {
        demos.forEach(demo -> demo.process.destroyForcibly());
        for (long pid : postgresPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void listensOnLoopbackOnlyAndCleansUpAfterKillAndCtrlC() throws Exception {
        Demo first = startDemo();
        Path firstFolder = onlyDemoFolder();
        long firstPostgres = postgresPid(firstFolder);

        Set<InetSocketAddress> listening =
                listeningSockets(first.process.toHandle(), firstPostgres);
        assertThat(listening)
                .extracting(InetSocketAddress::getPort)
                .as("the web UI, the Prometheus endpoint and PostgreSQL are among them")
                .contains(
                        first.uiPort, first.metricsPort, first.apiPort, postgresPort(firstFolder));
        assertThat(listening)
                .allSatisfy(
                        socket ->
                                assertThat(socket.getAddress().isLoopbackAddress())
                                        .as("%s is open to the network", socket)
                                        .isTrue());

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> upload = http.send(jarUpload(first.uiPort), ofString());
        // with submission on, a real jar like this one is taken (200) and listed under /jars
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(400);
        assertThat(upload.body()).contains("POST request not allowed");
        HttpResponse<String> webConfig = http.send(get(first.uiPort, "/config"), ofString());
        assertThat(webConfig.body()).contains("\"web-submit\":false");
        HttpResponse<String> metrics = http.send(get(first.metricsPort, "/metrics"), ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        // the names Flink's own Prometheus reporter gives
        assertThat(metrics.body())
                .contains("flink_jobmanager_numRegisteredTaskManagers")
                .contains("flink_taskmanager_Status_JVM_CPU_Load");

        // the query API it prints, with the key it prints
        String apiLine = first.line("  Query API    : ");
        assertThat(apiLine).contains("http://127.0.0.1:" + first.apiPort + "/api/v1/status");
        String key = first.line("  API key      : ").split(" ")[0];
        String api = "http://127.0.0.1:" + first.apiPort;
        assertThat(http.send(get(api + "/api/v1/status"), ofString()).statusCode())
                .as("without the key")
                .isEqualTo(401);
        HttpResponse<String> status =
                http.send(
                        HttpRequest.newBuilder(URI.create(api + "/api/v1/status"))
                                .header("X-API-Key", key)
                                .build(),
                        ofString());
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(status.body()).contains("\"state\":\"RUNNING\"");

        first.process.destroyForcibly();
        assertThat(first.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(isAlive(firstPostgres)).as("a killed demo's PostgreSQL runs on").isTrue();

        Demo second = startDemo();
        assertThat(second.output())
                .contains(
                        "Cleaned up after a demo that did not stop (process "
                                + first.process.pid()
                                + "): stopped its PostgreSQL (process "
                                + firstPostgres
                                + ")");
        assertThat(isAlive(firstPostgres)).isFalse();
        assertThat(firstFolder).doesNotExist();
        Path secondFolder = onlyDemoFolder();
        long secondPostgres = postgresPid(secondFolder);

        Process interrupt =
                new ProcessBuilder("kill", "-INT", Long.toString(second.process.pid())).start();
        assertThat(interrupt.waitFor(30, TimeUnit.SECONDS) && interrupt.exitValue() == 0).isTrue();
        assertThat(second.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("the demo stops after Ctrl-C:%n%s", second.output())
                .isTrue();
        assertThat(second.process.exitValue()).as(second.output()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(second.output()).contains("Stopped."));
        assertThat(demoFolders()).isEmpty();
        // pg_ctl returns once the server removed its pid file, a moment before it exits
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(isAlive(secondPostgres))
                                        .as("PostgreSQL stops with the demo")
                                        .isFalse());
    }

    private Demo startDemo() throws IOException {
        int uiPort = FreePorts.onLoopback();
        int metricsPort = FreePorts.onLoopback();
        int apiPort = FreePorts.onLoopback();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path sharedPostgresBinaries = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        List<String> command =
                List.of(
                        java.toString(),
                        "-Xmx1g",
                        "--add-opens=java.base/java.util=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "-Djava.io.tmpdir=" + tmp,
                        // the PostgreSQL binaries are unpacked once per machine, not per test
                        "-Dot.epg.working-dir=" + sharedPostgresBinaries,
                        "-cp",
                        System.getProperty("java.class.path"),
                        BarcastCli.class.getName(),
                        "demo",
                        "--symbols",
                        "2",
                        "--set",
                        "ui.port=" + uiPort,
                        "--set",
                        "metrics.prometheus.port=" + metricsPort,
                        "--set",
                        "api.port=" + apiPort);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Demo demo = new Demo(process, uiPort, metricsPort, apiPort);
        demos.add(demo);
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            assertThat(process.isAlive() || demo.output().contains(RUNNING))
                                    .as("the demo ended before it ran:%n%s", demo.output())
                                    .isTrue();
                            assertThat(demo.output()).contains(RUNNING);
                        });
        return demo;
    }

    private Path onlyDemoFolder() {
        List<Path> folders = demoFolders();
        assertThat(folders).hasSize(1);
        return folders.get(0);
    }

    private List<Path> demoFolders() {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(DemoFolder.PREFIX))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long postgresPid(Path folder) throws IOException {
        long pid = Long.parseLong(postmasterPid(folder).get(0).trim());
        postgresPids.add(pid);
        return pid;
    }

    private static int postgresPort(Path folder) throws IOException {
        // postmaster.pid: pid, data directory, start time, port, ...
        return Integer.parseInt(postmasterPid(folder).get(3).trim());
    }

    private static List<String> postmasterPid(Path folder) throws IOException {
        return Files.readAllLines(
                folder.resolve(DemoFolder.POSTGRES_DIR).resolve("postmaster.pid"));
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The TCP sockets in LISTEN state of the demo, its child processes and its PostgreSQL (which
     * pg_ctl starts detached from the demo), read from /proc.
     */
    private static Set<InetSocketAddress> listeningSockets(ProcessHandle demo, long postgres)
            throws IOException {
        Set<Long> pids = new HashSet<>();
        Stream.concat(Stream.of(demo), demo.descendants()).forEach(p -> pids.add(p.pid()));
        ProcessHandle.of(postgres)
                .ifPresent(
                        p ->
                                Stream.concat(Stream.of(p), p.descendants())
                                        .forEach(child -> pids.add(child.pid())));
        Set<String> inodes = new HashSet<>();
        for (long pid : pids) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                fds.forEach(
                        fd -> {
                            try {
                                String target = Files.readSymbolicLink(fd).toString();
                                if (target.startsWith("socket:[")) {
                                    inodes.add(target.substring(8, target.length() - 1));
                                }
                            } catch (IOException closedMeanwhile) {
                                // the descriptor was closed while we looked
                            }
                        });
            } catch (IOException ended) {
                // the process ended while we looked
            }
        }
        Set<InetSocketAddress> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String[] hostAndPort = fields[1].split(":");
                    listening.add(
                            new InetSocketAddress(
                                    address(hostAndPort[0]), Integer.parseInt(hostAndPort[1], 16)));
                }
            }
        }
        return listening;
    }

    /** An address of /proc/net/tcp(6): 32-bit words in hex, each in the machine's byte order. */
    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        // an IPv4-mapped IPv6 address comes back as the IPv4 address
        return InetAddress.getByAddress(bytes);
    }

    private static HttpRequest jarUpload(int port) throws IOException {
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream entries = new JarOutputStream(jar, new Manifest())) {
            entries.putNextEntry(new JarEntry("hello.txt"));
            entries.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        String boundary = "barcast-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\";"
                                + " filename=\"job.jar\"\r\nContent-Type:"
                                + " application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(jar.toByteArray());
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static HttpResponse.BodyHandler<String> ofString() {
        return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
    }

    /** A demo process and everything it printed so far. */
    private static final class Demo {
        final Process process;
        final int uiPort;
        final int metricsPort;
        final int apiPort;
        private final StringBuffer output = new StringBuffer();

        Demo(Process process, int uiPort, int metricsPort, int apiPort) {
            this.process = process;
            this.uiPort = uiPort;
            this.metricsPort = metricsPort;
            this.apiPort = apiPort;
            Thread reader =
                    new Thread(
                            () -> {
                                try (BufferedReader lines =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        process.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    for (String line; (line = lines.readLine()) != null; ) {
                                        output.append(line).append('\n');
                                    }
                                } catch (IOException ended) {
                                    // the process is gone
                                }
                            },
                            "demo-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            return output.toString();
        }

        /** What follows {@code prefix} on the line of the output that starts with it. */
        String line(String prefix) {
            return output().lines()
                    .filter(line -> line.startsWith(prefix))
                    .findFirst()
                    .map(line -> line.substring(prefix.length()))
                    .orElseThrow(
                            () -> new AssertionError("no line '" + prefix + "' in " + output()));
        }
    }
}
