package io.barcast.connectors.replay;

import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.BarFormats;
import io.barcast.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads bar files: CSV with a header ({@code symbol,t,o,h,l,c,v[,vw,n]}), JSON lines ({@code
 * .jsonl}, {@code .ndjson}, or {@code .json} with one bar per line) and saved Polygon aggregates
 * responses ({@code .json}). A line that cannot be parsed becomes an unparsable {@link IncomingBar}
 * naming file and line.
 */
public final class BarFileReader {

    private static final List<String> EXTENSIONS = List.of(".csv", ".json", ".jsonl", ".ndjson");

    private final BarFormats formats = new BarFormats(Json.newMapper());

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

    /**
     * Everything in the files, in event-time order (ties by symbol, then by position in the input);
     * what cannot be parsed comes first, in input order.
     */
    public List<IncomingBar> readAll(List<String> files) {
        List<IncomingBar> all = new ArrayList<>();
        for (String file : files) {
            all.addAll(read(Path.of(file)));
        }
        all.sort(
                Comparator.comparingLong(
                                (IncomingBar b) -> b.isParsed() ? b.bar().time() : Long.MIN_VALUE)
                        .thenComparing(b -> b.isParsed() ? b.bar().symbol() : ""));
        return all;
    }

    /** One file's content, in file order. */
    public List<IncomingBar> read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bar file " + file, e);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String origin = "replay:" + file.getFileName();
        if (name.endsWith(".csv")) {
            return readCsv(origin, content);
        }
        if (name.endsWith(".json") && BarFormats.isPolygonAggregates(content)) {
            try {
                return formats.parsePolygonAggregates(content).stream()
                        .map(bar -> IncomingBar.parsed(origin, bar))
                        .toList();
            } catch (IllegalArgumentException e) {
                return List.of(IncomingBar.unparsable(origin, content, e.getMessage()));
            }
        }
        return readJsonLines(origin, content);
    }

    private List<IncomingBar> readCsv(String origin, String content) {
        List<IncomingBar> bars = new ArrayList<>();
        String[] lines = content.split("\\R");
        Map<String, Integer> header;
        try {
            header = BarFormats.csvHeader(lines[0]);
        } catch (IllegalArgumentException e) {
            bars.add(IncomingBar.unparsable(origin + ":1", lines[0], e.getMessage()));
            return bars;
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = origin + ":" + (i + 1);
            try {
                bars.add(IncomingBar.parsed(where, BarFormats.parseCsv(header, lines[i])));
            } catch (IllegalArgumentException e) {
                bars.add(IncomingBar.unparsable(where, lines[i], e.getMessage()));
            }
        }
        return bars;
    }

    private List<IncomingBar> readJsonLines(String origin, String content) {
        List<IncomingBar> bars = new ArrayList<>();
        String[] lines = content.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = origin + ":" + (i + 1);
            try {
                Bar bar = formats.parseJson(lines[i]);
                bars.add(IncomingBar.parsed(where, bar));
            } catch (IllegalArgumentException e) {
                bars.add(IncomingBar.unparsable(where, lines[i], e.getMessage()));
            }
        }
        return bars;
    }
}
