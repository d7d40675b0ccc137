package io.barcast.functions.models;

import io.barcast.core.DaemonThreads;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of one {@link ModelLocation}, one registry per JVM shared by every operator instance
 * ({@link #acquire}, {@link #release}), each model one ONNX Runtime session.
 *
 * <p>{@link #refresh()} rescans the location and swaps in the models of changed folders once they
 * load and pass every check; a folder whose files are refused keeps its previous model, and the
 * refusal is reported once. Swaps are atomic: a reader sees a folder's old model or its new one.
 * Callers run a model under a {@link Lease}; a replaced model stays leasable by its version for
 * {@link ModelLocation#retireGrace()} and is closed once that has passed and its last lease is
 * closed, so batches in flight and requests queued for it still run on it. Thread safe.
 */
public final class ModelRegistry {

    /** The folder of the model serving every symbol without a folder of its own. */
    public static final String DEFAULT = "default";

    /** Problems kept for the next {@link #refresh()}; the oldest go first beyond this. */
    private static final int MAX_UNREPORTED = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /**
     * How old a folder's files must be before their size and modification time are trusted to show
     * a later change: file systems stamp times coarsely (milliseconds to 2 s), so a rewrite of the
     * same size within one tick would look unchanged. Younger files are read on every scan.
     */
    private static final Duration SETTLED = Duration.ofSeconds(2);

    /** The fingerprint of a folder without model files, as missing files count as empty. */
    private static final String GONE = ModelBundle.fingerprint(new byte[0], new byte[0]);

    private static final Map<String, ModelRegistry> REGISTRIES = new HashMap<>();

    private final String key;
    private final ModelLocation location;

    /** The location's folder, or null when the bundled model serves. */
    private final Path root;

    private final ScheduledExecutorService retirements;

    /** Guards scans, and the fields below up to {@code current}. */
    private final Object scanLock = new Object();

    private final Map<String, FolderState> folders = new HashMap<>();

    /** Per folder, the fingerprint of every version it served: a version names one model. */
    private final Map<String, Map<String, String>> fingerprintsByVersion = new HashMap<>();

    private final List<ModelProblem> unreported = new ArrayList<>();
    private String listingFailure;

    /** Written whole under {@code scanLock}, read without it: the atomic swap. */
    private volatile Map<String, Served> current = Map.of();

    private final List<Served> retired = new CopyOnWriteArrayList<>();

    /** Guarded by {@code REGISTRIES}. */
    private int users;

    private volatile boolean released;

    private ModelRegistry(String key, ModelLocation location) {
        this.key = key;
        this.location = location;
        Path folder = location.folder() == null ? null : Path.of(location.folder());
        if (folder != null && !Files.isDirectory(folder)) {
            LOG.warn(
                    "No model folder at {}; serving the bundled default model",
                    folder.toAbsolutePath());
            folder = null;
        }
        this.root = folder;
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, DaemonThreads.named("barcast-model-retirement"));
        executor.setRemoveOnCancelPolicy(true);
        this.retirements = executor;
        try {
            if (root == null) {
                serveBundled();
            } else {
                scan();
                if (!current.containsKey(DEFAULT)) {
                    throw new IllegalArgumentException(
                            "no usable default model at " + root + ": " + defaultProblem());
                }
            }
        } catch (RuntimeException e) {
            shutdown();
            throw e;
        }
    }

    /**
     * The registry of {@code location}, created with a first scan by the first caller. Pair with
     * {@link #release}. A second location naming the same folder shares the first one's registry,
     * with its grace and calendars.
     *
     * @throws IllegalArgumentException when the default model cannot be served, with the reason: a
     *     job must not start on a broken default (a broken symbol folder only falls back to it)
     */
    public static ModelRegistry acquire(ModelLocation location) {
        String key = location.key();
        synchronized (REGISTRIES) {
            ModelRegistry registry = REGISTRIES.get(key);
            if (registry == null) {
                registry = new ModelRegistry(key, location);
                REGISTRIES.put(key, registry);
            }
            registry.users++;
            return registry;
        }
    }

    /**
     * Lets go of the registry; the last user's call closes it. Its models close at once, except
     * those under an open lease: each of them closes when its last lease is closed (closing a
     * session under a running call would crash the JVM). Nothing can be leased or scanned after.
     */
    public void release() {
        synchronized (REGISTRIES) {
            if (users == 0 || --users > 0) {
                return;
            }
            REGISTRIES.remove(key);
            released = true;
        }
        shutdown();
    }

    public ModelLocation location() {
        return location;
    }

    /**
     * Scans the location and serves what changed. Cheap when nothing did: a folder's files are read
     * only when their size or modification time moved. Each changed folder is loaded and checked
     * (model.json, the ONNX graph against it, a test run, the symbol's calendar, and that an
     * unchanged version still has the same fingerprint) before it replaces the folder's current
     * model. A folder that is gone is dropped and its symbols fall back to the default model; the
     * default model itself is never dropped. The bundled model never reloads.
     *
     * @return the current models, and every problem found since the last call, whether by this scan
     *     or by one a {@link #lease} ran
     */
    public ModelCatalog refresh() {
        checkOpen();
        synchronized (scanLock) {
            scan();
            List<ModelProblem> problems = List.copyOf(unreported);
            unreported.clear();
            return new ModelCatalog(versions(current), problems);
        }
    }

    /** The current models, without scanning; problems are only handed out by {@link #refresh}. */
    public ModelCatalog catalog() {
        return new ModelCatalog(versions(current), List.of());
    }

    /** The folder serving {@code symbol} now; see {@link ModelCatalog#folderFor(String, Set)}. */
    public String folderFor(String symbol) {
        return ModelCatalog.folderFor(symbol, current.keySet());
    }

    /** A lease on the model serving {@code symbol} now. */
    public Lease current(String symbol) {
        while (true) {
            checkOpen();
            Map<String, Served> models = current;
            Served served = models.get(ModelCatalog.folderFor(symbol, models.keySet()));
            // fails only if a swap retired and closed it since we read the map (or a release
            // emptied the map): read it again
            if (served != null && served.tryLease()) {
                return new Lease(served);
            }
        }
    }

    /**
     * A lease on exactly {@code version} of {@code folder}'s model: its current one, or one it
     * retired less than the grace ago. An unknown version may be one another JVM saw first, so the
     * location is scanned once before giving up.
     *
     * @throws ModelUnavailableException naming the folder, the wanted and the current version
     */
    public Lease lease(String folder, String version) throws ModelUnavailableException {
        checkOpen();
        Lease lease = tryLease(folder, version);
        if (lease == null) {
            synchronized (scanLock) {
                scan();
            }
            lease = tryLease(folder, version);
        }
        if (lease == null) {
            Served now = current.get(folder);
            throw new ModelUnavailableException(
                    folder, version, now == null ? null : now.version.version());
        }
        return lease;
    }

    private Lease tryLease(String folder, String version) {
        Served now = current.get(folder);
        if (now != null && now.version.version().equals(version) && now.tryLease()) {
            return new Lease(now);
        }
        long time = System.nanoTime();
        Served match = null;
        for (Served old : retired) {
            // retired in order: the last match is the newest, should a version come back
            if (old.version.folder().equals(folder)
                    && old.version.version().equals(version)
                    && time - old.closeAfterNanos < 0) {
                match = old;
            }
        }
        return match != null && match.tryLease() ? new Lease(match) : null;
    }

    private void checkOpen() {
        if (released) {
            throw new IllegalStateException("the model registry of " + key + " was released");
        }
    }

    private void serveBundled() {
        try {
            ModelBundle bundle = ModelBundle.loadResource(ModelLocation.BUNDLED);
            current = Map.of(DEFAULT, new Served(ModelVersion.of(DEFAULT, bundle), bundle));
            LOG.info("Serving the bundled model {}", bundle);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "no usable default model at classpath:"
                            + ModelLocation.BUNDLED
                            + ": "
                            + describe(e),
                    e);
        }
    }

    /** One pass over the location; callers hold {@code scanLock}. */
    private void scan() {
        if (root == null || released) {
            return;
        }
        Map<String, Path> found;
        try {
            found = discover();
            listingFailure = null;
        } catch (IOException e) {
            // A passing failure (a network file system, a folder being moved) must not drop every
            // symbol's model: keep serving what we have.
            String failure = describe(e);
            if (!failure.equals(listingFailure)) {
                LOG.warn("Cannot list model folders in {}; keeping the models served", root, e);
                listingFailure = failure;
            }
            return;
        }
        Map<String, Served> before = current;
        Map<String, Served> next = new TreeMap<>(before);
        List<Served> replaced = new ArrayList<>();
        for (Map.Entry<String, Path> entry : found.entrySet()) {
            String folder = entry.getKey();
            FolderState state = folders.computeIfAbsent(folder, f -> new FolderState());
            Served loaded = loadIfChanged(folder, entry.getValue(), state, before.get(folder));
            if (loaded != null) {
                Served old = next.put(folder, loaded);
                if (old != null) {
                    replaced.add(old);
                }
            }
        }
        for (Served served : before.values()) {
            String folder = served.version.folder();
            if (found.containsKey(folder)) {
                continue;
            }
            if (folder.equals(DEFAULT)) {
                FolderState state = folders.computeIfAbsent(folder, f -> new FolderState());
                report(
                        state,
                        new ModelProblem(
                                DEFAULT,
                                GONE,
                                "the default model folder "
                                        + root.resolve(DEFAULT)
                                        + " is gone; still serving "
                                        + served.version.version()
                                        + ", the default model cannot be dropped"));
            } else {
                LOG.info(
                        "Model folder {} is gone; its symbols fall back to the default model",
                        root.resolve(folder));
                next.remove(folder);
                replaced.add(served);
            }
        }
        // the default folder's state outlives its folder, to report its absence once
        folders.keySet().removeIf(folder -> !found.containsKey(folder) && !folder.equals(DEFAULT));
        if (!next.equals(before)) {
            current = Collections.unmodifiableMap(next);
        }
        for (Served old : replaced) {
            retire(old);
        }
    }

    private Map<String, Path> discover() throws IOException {
        return modelFolders(root);
    }

    /**
     * The model folders under {@code root} by name: {@code default} and every symbol folder holding
     * a model file, or {@code root} alone as {@code default} when it holds model.json itself.
     */
    public static Map<String, Path> modelFolders(Path root) throws IOException {
        if (Files.isRegularFile(root.resolve(ModelBundle.SPEC_FILE))) {
            return Map.of(DEFAULT, root);
        }
        Map<String, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                // hidden folders are where tools stage files; folders without a model file are
                // not models (e.g. models/training next to models/default)
                if (!name.startsWith(".")
                        && Files.isDirectory(child)
                        && (Files.exists(child.resolve(ModelBundle.SPEC_FILE))
                                || Files.exists(child.resolve(ModelBundle.ONNX_FILE)))) {
                    found.put(name, child);
                }
            }
        }
        return found;
    }

    /** The folder's new model, or null when it did not change or was refused. */
    private Served loadIfChanged(String folder, Path dir, FolderState state, Served now) {
        Stamp stamp = Stamp.of(dir);
        if (stamp.equals(state.stamp)) {
            return null;
        }
        state.stamp = stamp.settled() ? stamp : null;
        byte[] specJson = new byte[0];
        byte[] onnx = new byte[0];
        IOException unreadable = null;
        try {
            specJson = Files.readAllBytes(dir.resolve(ModelBundle.SPEC_FILE));
            onnx = Files.readAllBytes(dir.resolve(ModelBundle.ONNX_FILE));
        } catch (NoSuchFileException e) {
            unreadable =
                    new NoSuchFileException(
                            e.getFile(), null, "no " + Path.of(e.getFile()).getFileName());
        } catch (IOException e) {
            unreadable = e;
        }
        if (unreadable != null && !(unreadable instanceof NoSuchFileException)) {
            // the file system, not the model: try again on the next scan, refuse nothing
            state.stamp = null;
            LOG.warn("Cannot read model folder {} yet: {}", dir, describe(unreadable));
            return null;
        }
        String fingerprint = ModelBundle.fingerprint(specJson, onnx);
        if ((now != null && now.version.fingerprint().equals(fingerprint))
                || state.reported.contains(fingerprint)) {
            // touched but not changed, or the same broken files again
            return null;
        }
        try {
            if (unreadable != null) {
                throw unreadable;
            }
            ModelBundle bundle = ModelBundle.of(specJson, onnx, dir.toString());
            checkCalendar(folder, dir, bundle.spec());
            checkVersion(folder, dir, bundle);
            Served served = new Served(ModelVersion.of(folder, bundle), bundle);
            fingerprintsByVersion
                    .computeIfAbsent(folder, f -> new HashMap<>())
                    .put(bundle.spec().version(), fingerprint);
            state.reported.clear();
            LOG.info(
                    "Serving model {} for {}{}",
                    bundle,
                    folder,
                    now == null ? "" : " instead of " + now.version.version());
            return served;
        } catch (Exception e) {
            String message = describe(e);
            report(
                    state,
                    new ModelProblem(
                            folder,
                            fingerprint,
                            message.contains(dir.toString()) ? message : dir + ": " + message));
            return null;
        }
    }

    /** A symbol's own model must be made for that symbol's trading calendar. */
    private void checkCalendar(String folder, Path dir, ModelSpec spec) {
        if (folder.equals(DEFAULT)) {
            return;
        }
        String symbol = folder.replace('_', ':');
        String calendar = location.calendarOf().calendarOf(symbol);
        if (!spec.calendars().contains(calendar)) {
            throw new IllegalArgumentException(
                    dir.resolve(ModelBundle.SPEC_FILE)
                            + ": calendars "
                            + spec.calendars()
                            + " does not include "
                            + calendar
                            + ", the calendar of "
                            + symbol);
        }
    }

    /**
     * Prediction ids include the model version, so one version must always mean the same model:
     * changed files under a version this folder already served are refused.
     */
    private void checkVersion(String folder, Path dir, ModelBundle bundle) {
        String version = bundle.spec().version();
        String served = fingerprintsByVersion.getOrDefault(folder, Map.of()).get(version);
        if (served != null && !served.equals(bundle.fingerprint())) {
            throw new IllegalArgumentException(
                    dir.resolve(ModelBundle.SPEC_FILE)
                            + ": version "
                            + version
                            + " was served with fingerprint "
                            + served
                            + ", but these files have "
                            + bundle.fingerprint()
                            + "; prediction ids include the version, so a changed model needs"
                            + " a new version");
        }
    }

    private void report(FolderState state, ModelProblem problem) {
        if (state.reported.add(problem.fingerprint())) {
            LOG.warn("Refused model folder {}: {}", problem.folder(), problem.message());
            // only the JVM running the model watch hands problems out; elsewhere keep a few
            if (unreported.size() >= MAX_UNREPORTED) {
                unreported.remove(0);
            }
            unreported.add(problem);
        }
    }

    private String defaultProblem() {
        for (int i = unreported.size() - 1; i >= 0; i--) {
            if (unreported.get(i).folder().equals(DEFAULT)) {
                return unreported.get(i).message();
            }
        }
        return listingFailure != null
                ? "cannot list the folder: " + listingFailure
                : "no folder " + root.resolve(DEFAULT) + " and no model.json in " + root;
    }

    private void retire(Served served) {
        served.closeAfterNanos = System.nanoTime() + location.retireGrace().toNanos();
        served.retired = true;
        retired.add(served);
        if (!released) {
            retirements.schedule(
                    this::closeDue, location.retireGrace().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void closeDue() {
        for (Served served : retired) {
            served.closeIfDue();
        }
    }

    /** Retires every model with no grace: each closes now, or when its last lease closes. */
    private void shutdown() {
        released = true;
        synchronized (scanLock) {
            long now = System.nanoTime();
            for (Served served : current.values()) {
                served.closeAfterNanos = now;
                served.retired = true;
                retired.add(served);
            }
            current = Map.of();
            for (Served served : retired) {
                served.closeAfterNanos = Math.min(served.closeAfterNanos, now);
            }
        }
        retirements.shutdownNow();
        closeDue();
    }

    private static List<ModelVersion> versions(Map<String, Served> models) {
        // the map is a TreeMap or a one-entry map: already sorted by folder
        return models.values().stream().map(s -> s.version).toList();
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * A model in use for its version: its current or retired session and the leases on it, which
     * must all close before the session may.
     */
    private final class Served {
        final ModelVersion version;
        final OnnxModel model;

        /** Open leases, or -1 once closed: a lease and the close cannot both win. */
        final AtomicInteger leases = new AtomicInteger();

        volatile boolean retired;
        volatile long closeAfterNanos;

        Served(ModelVersion version, ModelBundle bundle) throws Exception {
            this.version = version;
            this.model = new OnnxModel(bundle);
        }

        boolean tryLease() {
            while (true) {
                int count = leases.get();
                if (count < 0) {
                    return false;
                }
                if (leases.compareAndSet(count, count + 1)) {
                    return true;
                }
            }
        }

        void unlease() {
            if (leases.decrementAndGet() == 0 && retired) {
                closeIfDue();
            }
        }

        void closeIfDue() {
            if (retired
                    && System.nanoTime() - closeAfterNanos >= 0
                    && leases.compareAndSet(0, -1)) {
                ModelRegistry.this.retired.remove(this);
                try {
                    model.close();
                    LOG.info(
                            "Closed the session of model {} {} of {}",
                            version.name(),
                            version.version(),
                            version.folder());
                } catch (Exception e) {
                    LOG.warn("Closing retired model {} failed", model.source(), e);
                }
            }
        }
    }

    /**
     * The use of one model version, from {@link #current} or {@link #lease} until {@link #close}:
     * while it is open the model's session stays open. Close it when the call (or the batch) that
     * needed the model has finished.
     */
    public static final class Lease implements AutoCloseable {
        private final Served served;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(Served served) {
            this.served = served;
        }

        /** The leased model; not to be used after {@link #close()}. */
        public OnnxModel model() {
            if (!open.get()) {
                throw new IllegalStateException("lease of " + served.version.version() + " closed");
            }
            return served.model;
        }

        public ModelVersion version() {
            return served.version;
        }

        /** Ends the lease; a retired model past its grace closes with its last one. Idempotent. */
        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                served.unlease();
            }
        }
    }

    /** What the last scan knew of a folder. */
    private static final class FolderState {
        /** The files' stamp when last read, or null to read them on the next scan. */
        Stamp stamp;

        /** Fingerprints of refused files already reported; cleared when a model is accepted. */
        final Set<String> reported = new HashSet<>();
    }

    /** Size and modification time of a folder's two files; -1 and 0 for a missing file. */
    private record Stamp(long specSize, long specModified, long onnxSize, long onnxModified) {

        static Stamp of(Path dir) {
            long[] spec = sizeAndTime(dir.resolve(ModelBundle.SPEC_FILE));
            long[] onnx = sizeAndTime(dir.resolve(ModelBundle.ONNX_FILE));
            return new Stamp(spec[0], spec[1], onnx[0], onnx[1]);
        }

        boolean settled() {
            long newest = Math.max(specModified, onnxModified) / 1_000_000;
            return System.currentTimeMillis() - newest >= SETTLED.toMillis();
        }

        /** Size and modification time in nanoseconds since the epoch. */
        private static long[] sizeAndTime(Path file) {
            try {
                BasicFileAttributes attributes =
                        Files.readAttributes(file, BasicFileAttributes.class);
                return new long[] {
                    attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                };
            } catch (IOException e) {
                return new long[] {-1, 0};
            }
        }
    }
}
