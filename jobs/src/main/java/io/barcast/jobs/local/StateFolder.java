package io.barcast.jobs.local;

import io.barcast.jobs.options.InvalidOptionException;
import io.barcast.jobs.options.RecoveryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder where {@code barcast run} keeps its job's state: Flink's retained checkpoints under
 * {@code checkpoints/<job id>/chk-<n>/} and savepoints under {@code savepoints/}. A snapshot is
 * complete once its {@code _metadata} file exists (Flink writes it last), so the newest complete
 * one is what a restart resumes from.
 */
public final class StateFolder {

    private static final String METADATA = "_metadata";

    private final Path root;

    private StateFolder(Path root) {
        this.root = root;
    }

    /** The folder a {@code state.dir} value names: a path or a {@code file:} URI. */
    public static StateFolder of(String stateDir) {
        String dir = stateDir.trim();
        Path root;
        try {
            root = dir.startsWith("file:") ? Path.of(URI.create(dir)) : Path.of(dir);
        } catch (RuntimeException e) {
            throw new InvalidOptionException(
                    RecoveryOptions.STATE_DIR.key(),
                    "'"
                            + dir
                            + "' is not a local folder (a path or a file: URI): "
                            + e.getMessage());
        }
        return new StateFolder(root.toAbsolutePath().normalize());
    }

    /** Whether a state.dir value names a local folder, where snapshots can be looked for. */
    public static boolean isLocal(String stateDir) {
        String dir = stateDir.trim();
        return dir.startsWith("file:") || !dir.contains("://");
    }

    public Path root() {
        return root;
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path savepoints() {
        return root.resolve("savepoints");
    }

    /** The newest complete checkpoint or savepoint, if there is one. */
    public Optional<Snapshot> newest() {
        return Stream.concat(
                        complete(checkpoints(), 2, "checkpoint"),
                        complete(savepoints(), 1, "savepoint"))
                .max(Comparator.comparing(Snapshot::completedAt));
    }

    /** Deletes every snapshot, for a start without state. */
    public void clear() {
        for (Path dir : new Path[] {checkpoints(), savepoints()}) {
            if (!Files.exists(dir)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the saved state in " + dir, e);
            }
        }
    }

    /**
     * The complete snapshots in {@code dir}: {@code <job>/chk-<n>/_metadata} (depth 2) or {@code
     * savepoint-<id>/_metadata} (depth 1). Only the snapshot folders are listed, not the files they
     * share: a running job deletes those while this looks, and a snapshot that vanishes meanwhile
     * is simply not there.
     */
    private static Stream<Snapshot> complete(Path dir, int depth, String kind) {
        List<Path> folders = List.of(dir);
        for (int level = 0; level < depth; level++) {
            List<Path> next = new ArrayList<>();
            for (Path folder : folders) {
                next.addAll(subfolders(folder));
            }
            folders = next;
        }
        List<Snapshot> found = new ArrayList<>();
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            if (!name.startsWith("chk-") && !name.startsWith("savepoint-")) {
                continue;
            }
            try {
                Path metadata = folder.resolve(METADATA);
                found.add(
                        new Snapshot(
                                folder, kind, Files.getLastModifiedTime(metadata).toInstant()));
            } catch (NoSuchFileException incompleteOrGone) {
                // still being written, or subsumed and deleted meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look for saved state in " + folder, e);
            }
        }
        return found.stream();
    }

    private static List<Path> subfolders(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for saved state in " + folder, e);
        }
    }

    /** A complete checkpoint or savepoint. */
    public record Snapshot(Path path, String kind, Instant completedAt) {}
}
