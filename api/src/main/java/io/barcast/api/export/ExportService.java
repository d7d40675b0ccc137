package io.barcast.api.export;

import io.barcast.api.ApiService;
import io.barcast.core.DaemonThreads;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the queued exports: a scheduler thread claims them from the {@code exports} table (any
 * instance may take any export; {@code FOR UPDATE SKIP LOCKED} gives each to one) while this
 * instance has a free worker of {@link ExportSettings#workers()}, and each worker streams its
 * export into a part file, renewing its lease as rows go out, then renames it into place. The same
 * thread cleans up: exports whose lease ran out (their instance died) go back to the queue, done
 * ones past their expiry lose their file, old rows are deleted, stray files removed. Closing stops
 * the workers at their next progress report and puts their exports back in the queue.
 */
public final class ExportService implements ApiService {

    /** How long a running export stays this instance's without a progress report. */
    static final Duration LEASE = Duration.ofSeconds(60);

    /** The shortest time between two progress reports of one export. */
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** How often the queue is looked at when nothing wakes the scheduler. */
    private static final Duration POLL = Duration.ofSeconds(1);

    /** A part file younger than this may be one an instance is just starting to write. */
    private static final Duration STRAY_AGE = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(ExportService.class);

    private final ExportSettings settings;
    private final DataSource db;
    private final ExportStore store;
    private final ExportMetrics metrics;
    private final String owner = "api-" + UUID.randomUUID();
    private final Semaphore freeWorkers;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private long lastCleanup;

    ExportService(
            ExportSettings settings, DataSource db, ExportStore store, ExportMetrics metrics) {
        this.settings = settings;
        this.db = db;
        this.store = store;
        this.metrics = metrics;
        this.freeWorkers = new Semaphore(settings.workers());
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(settings.dir());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create the exports folder " + settings.dir() + " (api.exports.dir)", e);
        }
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        DaemonThreads.numbered("barcast-exports-scheduler"));
        workers =
                Executors.newFixedThreadPool(
                        settings.workers(), DaemonThreads.numbered("barcast-exports-worker"));
        scheduler.scheduleWithFixedDelay(this::tick, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(
                "exports: {} workers as {}, files in {}, kept {}",
                settings.workers(),
                owner,
                settings.dir(),
                settings.expireAfter());
    }

    /** Looks at the queue now rather than at the next poll (an export was just asked for). */
    void wakeUp() {
        if (scheduler != null && !stopping.get() && wakeUps.getAndIncrement() == 0) {
            scheduler.execute(this::tick);
        }
    }

    /** How often the clean-up runs: often enough for a short expiry, at most twice a minute. */
    Duration cleanupInterval() {
        Duration quarter = settings.expireAfter().dividedBy(4);
        Duration most = Duration.ofSeconds(30);
        Duration least = Duration.ofMillis(200);
        return quarter.compareTo(most) > 0 ? most : quarter.compareTo(least) < 0 ? least : quarter;
    }

    private void tick() {
        wakeUps.set(0);
        try {
            if (System.nanoTime() - lastCleanup >= cleanupInterval().toNanos()) {
                lastCleanup = System.nanoTime();
                cleanUp();
            }
            while (!stopping.get() && freeWorkers.tryAcquire()) {
                Export export;
                try {
                    export = store.claim(owner, LEASE);
                } catch (SQLException | RuntimeException e) {
                    freeWorkers.release();
                    throw e;
                }
                if (export == null) {
                    freeWorkers.release();
                    break;
                }
                workers.execute(() -> run(export));
            }
        } catch (Exception e) {
            // the database is down or busy: the next tick tries again
            LOG.warn("exports: the queue or clean-up could not be read: {}", e.toString());
        }
    }

    /** Writes one claimed export to its part file and moves it into place. */
    private void run(Export export) {
        metrics.started();
        Path part = settings.dir().resolve(export.partPrefix(export.attempts()));
        long[] reported = {0, System.nanoTime()};
        try (Connection connection = db.getConnection()) {
            long rows =
                    ExportWriter.write(
                            connection,
                            export,
                            part,
                            written -> {
                                if (stopping.get()) {
                                    throw new Stopping();
                                }
                                long now = System.nanoTime();
                                if (now - reported[1] >= REPORT_NANOS) {
                                    if (!store.progress(export.id(), owner, written, LEASE)) {
                                        throw new Lost();
                                    }
                                    metrics.rows(export.format(), written - reported[0]);
                                    reported[0] = written;
                                    reported[1] = now;
                                }
                            });
            metrics.rows(export.format(), rows - reported[0]);
            Path file = settings.dir().resolve(export.storedName());
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            long bytes = Files.size(file);
            if (store.done(
                    export.id(),
                    owner,
                    rows,
                    bytes,
                    export.downloadName(),
                    settings.expireAfter())) {
                metrics.reached("done", export.format());
                metrics.finished(export.format(), bytes);
                LOG.info(
                        "export {} ({} {}) done: {} rows, {} bytes",
                        export.id(),
                        export.kind().label(),
                        export.format().label(),
                        rows,
                        bytes);
            } else {
                // deleted while it was written, or taken over: the file is nobody's
                Files.deleteIfExists(file);
            }
        } catch (Stopping e) {
            release(export);
        } catch (Lost e) {
            LOG.info("export {} was deleted or taken over while written", export.id());
        } catch (ExportWriter.TooManyRows e) {
            fail(export, e.getMessage());
        } catch (Exception e) {
            LOG.warn("export {} failed", export.id(), e);
            fail(export, "the export could not be written: " + e.getClass().getSimpleName());
        } catch (Error e) {
            // a class missing at run time, memory: the export fails rather than stay running
            LOG.error("export {} failed", export.id(), e);
            fail(export, "the export could not be written: " + e.getClass().getSimpleName());
            throw e;
        } finally {
            deleteParts(export);
            metrics.ended();
            freeWorkers.release();
        }
        wakeUp();
    }

    private void fail(Export export, String reason) {
        try {
            if (store.failed(export.id(), owner, 0, reason, settings.expireAfter())) {
                metrics.reached("failed", export.format());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("export {}: its failure could not be recorded: {}", export.id(), e.toString());
        }
    }

    private void release(Export export) {
        try {
            store.release(export.id(), owner);
        } catch (SQLException | RuntimeException e) {
            // its lease runs out and another instance takes it
            LOG.warn("export {} could not be put back in the queue: {}", export.id(), e.toString());
        }
    }

    private void deleteParts(Export export) {
        String prefix = export.partPrefix(export.attempts());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.dir(), prefix + "*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("export {}: part files not deleted: {}", export.id(), e.toString());
        }
    }

    /** Leases, expiry, old rows, stray files. */
    void cleanUp() throws SQLException {
        int requeued = store.requeueExpiredLeases(settings.expireAfter());
        if (requeued > 0) {
            LOG.info("exports: {} whose instance stopped went back to the queue", requeued);
        }
        for (Export expired : store.expire()) {
            deleteQuietly(settings.dir().resolve(expired.storedName()));
            metrics.reached("expired", expired.format());
        }
        store.purge(settings.expireAfter());
        removeStrayFiles();
    }

    /**
     * Deletes the files in the folder that no export needs: those of deleted, expired or failed
     * exports, and part files of attempts that ended elsewhere. Only names that start with an
     * export's id are touched, and part files only once they are a while old.
     */
    private void removeStrayFiles() throws SQLException {
        Map<UUID, List<Path>> byExport = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.dir())) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.length() < 36) {
                    continue;
                }
                UUID id;
                try {
                    id = UUID.fromString(name.substring(0, 36));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                byExport.computeIfAbsent(id, any -> new ArrayList<>()).add(file);
            }
        } catch (IOException e) {
            LOG.warn("exports: the folder {} cannot be read: {}", settings.dir(), e.toString());
            return;
        }
        if (byExport.isEmpty()) {
            return;
        }
        List<String> live = store.liveFiles(new ArrayList<>(byExport.keySet()));
        for (List<Path> files : byExport.values()) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean needed = live.stream().anyMatch(name::startsWith);
                if (!needed && (!name.contains(".part") || olderThan(file, STRAY_AGE))) {
                    deleteQuietly(file);
                }
            }
        }
    }

    private static boolean olderThan(Path file, Duration age) {
        try {
            return Files.getLastModifiedTime(file).toMillis()
                    < System.currentTimeMillis() - age.toMillis();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("exports: {} not deleted: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This instance is stopping: the export goes back to the queue. */
    private static final class Stopping extends Exception {
        Stopping() {
            super(null, null, false, false);
        }
    }

    /** The export is no longer this instance's. */
    private static final class Lost extends Exception {
        Lost() {
            super(null, null, false, false);
        }
    }
}
