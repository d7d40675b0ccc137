package io.barcast.connectors.replay;

import io.barcast.core.IncomingBar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads bar files as streams: CSV with a header ({@code symbol,t,o,h,l,c,v[,vw,n]}), JSON lines
 * ({@code .jsonl}, {@code .ndjson}, or {@code .json} with one bar per line) and saved Polygon
 * aggregates responses ({@code .json}). Every line that cannot be used (unparsable, longer than the
 * line limit, not UTF-8) becomes an unparsable {@link IncomingBar} naming file and line; none stops
 * the reading, and no file is held in memory.
 */
public final class BarFileReader {

    private static final List<String> EXTENSIONS = List.of(".csv", ".json", ".jsonl", ".ndjson");

    private final ReadSettings settings;

    /** Lines up to {@code maxLineBytes} bytes are read; longer ones are skipped and reported. */
    public BarFileReader(int maxLineBytes) {
        this(new ReadSettings(maxLineBytes, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** With the default line limit of 1 MiB. */
    public BarFileReader() {
        this(ReadSettings.DEFAULTS);
    }

    BarFileReader(ReadSettings settings) {
        this.settings = settings;
    }

    /** The bar files a path names: the file itself, or a directory's bar files by name. */
    public static List<String> expand(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or directory: " + path);
        }
        if (!Files.isDirectory(path)) {
            return List.of(path.toString());
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(BarFileReader::isBarFile).sorted().map(Path::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBarFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Hands every record of one file to {@code each}, in file order, one at a time. */
    public void read(Path file, Consumer<IncomingBar> each) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileRecords records = FileRecords.open(file, channel, 0, 1, settings);
            FileRecord record;
            while ((record = records.next()) != null) {
                each.accept(record.incoming());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bar file " + file, e);
        }
    }
}
