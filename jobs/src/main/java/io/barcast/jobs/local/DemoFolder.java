package io.barcast.jobs.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary folder of one demo: its database, broker logs, checkpoints and savepoints. It holds
 * a marker naming the process that owns it, so that a demo killed outright (SIGKILL, a crash, a
 * power cut) is cleaned up by the next one: {@link #create} first stops the PostgreSQL server of
 * every folder whose owner is gone and deletes the folder.
 */
public final class DemoFolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFolder.class);

    /** Every demo folder's name starts with this, in {@code java.io.tmpdir}. */
    public static final String PREFIX = "barcast-demo-";

    /** The marker: the owner's process id and start time, on one line. */
    public static final String OWNER_FILE = "owner.pid";

    /** The embedded PostgreSQL's data directory inside a folder. */
    public static final String POSTGRES_DIR = "postgres";

    private static final long POSTGRES_STOP_SECONDS = 30;

    private final Path path;

    private DemoFolder(Path path) {
        this.path = path;
    }

    /**
     * Cleans up after demos whose process is gone, saying so in one line each, then creates a
     * folder owned by this process.
     */
    public static DemoFolder create(PrintStream out) throws IOException {
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        removeAbandoned(parent, out);
        Path path = Files.createTempDirectory(parent, PREFIX);
        Files.writeString(path.resolve(OWNER_FILE), Owner.of(ProcessHandle.current()).line());
        return new DemoFolder(path);
    }

    public Path path() {
        return path;
    }

    public Path postgresDir() {
        return path.resolve(POSTGRES_DIR);
    }

    /** Deletes the folder and all in it; does nothing when it is gone already. */
    @Override
    public synchronized void close() {
        if (Files.exists(path)) {
            try {
                FileUtils.deleteDirectory(path.toFile());
            } catch (IOException e) {
                LOG.warn("Could not delete the demo folder {}: {}", path, e.toString());
            }
        }
    }

    static void removeAbandoned(Path parent, PrintStream out) throws IOException {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path folder : folders) {
                // a folder without a marker is being created right now, or is not ours to judge
                Optional<Owner> owner = Owner.read(folder.resolve(OWNER_FILE));
                if (owner.isEmpty() || owner.get().isAlive()) {
                    continue;
                }
                Optional<Long> postgres = stopPostgres(folder.resolve(POSTGRES_DIR));
                FileUtils.deleteDirectory(folder.toFile());
                out.println(
                        "Cleaned up after a demo that did not stop (process "
                                + owner.get().pid()
                                + "): "
                                + postgres.map(
                                                pid ->
                                                        "stopped its PostgreSQL (process "
                                                                + pid
                                                                + ")")
                                        .orElse("its PostgreSQL was not running")
                                + ", deleted "
                                + folder);
            }
        }
    }

    /**
     * Stops the server whose {@code postmaster.pid} is in the data directory, if it still runs.
     *
     * @return the id of the process stopped
     */
    private static Optional<Long> stopPostgres(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pidFile, e);
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // the id may have been reused since: stop it only if it is a postgres
        Optional<ProcessHandle> server =
                ProcessHandle.of(pid)
                        .filter(ProcessHandle::isAlive)
                        .filter(
                                handle ->
                                        handle.info()
                                                .command()
                                                .map(command -> command.endsWith("/postgres"))
                                                .orElse(false));
        if (server.isEmpty()) {
            return Optional.empty();
        }
        // SIGTERM: a smart shutdown, prompt because the clients died with the demo
        server.get().destroy();
        if (!awaitExit(server.get(), POSTGRES_STOP_SECONDS)) {
            server.get().destroyForcibly();
            awaitExit(server.get(), POSTGRES_STOP_SECONDS);
        }
        return Optional.of(pid);
    }

    private static boolean awaitExit(ProcessHandle process, long seconds) {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    /**
     * A process, told apart from a later one that reuses its id by its start time.
     *
     * @param startMillis the start time in epoch milliseconds, or -1 where the system does not tell
     */
    record Owner(long pid, long startMillis) {

        static Owner of(ProcessHandle process) {
            return new Owner(process.pid(), startMillis(process));
        }

        static Optional<Owner> read(Path marker) {
            try {
                String[] fields = Files.readString(marker).trim().split("\\s+");
                return Optional.of(new Owner(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        String line() {
            return pid + " " + startMillis + "\n";
        }

        boolean isAlive() {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> startMillis == -1 || startMillis(process) == startMillis)
                    .isPresent();
        }

        private static long startMillis(ProcessHandle process) {
            return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        }
    }
}
