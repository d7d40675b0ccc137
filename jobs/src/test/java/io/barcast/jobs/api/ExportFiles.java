package io.barcast.jobs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.postgresql.util.PGobject;

/**
 * Export files read back by readers of their own (Commons CSV's parser, Jackson, parquet-java's
 * record reader) into rows comparable with the rows JDBC gives for the same SQL: ids as text, times
 * as Instants, arrays as lists, JSON as trees. How a cell is read follows the value SQL has in that
 * place, so the files are checked against the database, not against the writer's own column list.
 */
final class ExportFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final CSVFormat CSV =
            CSVFormat.RFC4180
                    .builder()
                    .setQuoteMode(QuoteMode.NON_NUMERIC)
                    .setNullString("")
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get();

    /** Reading without Hadoop's file input classes (not on the API's class path). */
    private static final ParquetReadOptions READ_OPTIONS =
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build();

    private ExportFiles() {}

    /** JDBC rows as comparable values; times cut to millis when {@code millis}. */
    static List<Map<String, Object>> normalized(List<Map<String, Object>> rows, boolean millis) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>();
            row.forEach((name, value) -> copy.put(name, normalize(value, millis)));
            out.add(copy);
        }
        return out;
    }

    private static Object normalize(Object value, boolean millis) {
        try {
            if (value instanceof UUID id) {
                return id.toString();
            }
            if (value instanceof Timestamp time) {
                Instant instant = time.toInstant();
                return millis ? instant.truncatedTo(ChronoUnit.MILLIS) : instant;
            }
            if (value instanceof Array array) {
                List<Object> list = new ArrayList<>();
                for (Object element : (Object[]) array.getArray()) {
                    list.add(normalize(element, millis));
                }
                return list;
            }
            if (value instanceof PGobject json) {
                return JSON.readTree(json.getValue());
            }
            return value;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one file inside a gzip. */
    static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** A zip's entries by name, in order. */
    static Map<String, byte[]> unzip(byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    /** A file's rows, read as {@code format} says, shaped like {@code expected}. */
    static List<Map<String, Object>> read(
            String format, byte[] bytes, List<Map<String, Object>> expected, Path scratch)
            throws IOException {
        return switch (format) {
            case "csv" -> csv(bytes, expected);
            case "jsonl" -> jsonLines(bytes, expected);
            case "parquet" -> parquet(bytes, expected, scratch);
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** The header of a CSV file. */
    static List<String> csvHeader(byte[] bytes) throws IOException {
        try (CSVParser parser =
                CSVParser.parse(
                        new InputStreamReader(
                                new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
                        CSV)) {
            return parser.getHeaderNames();
        }
    }

    private static List<Map<String, Object>> csv(byte[] bytes, List<Map<String, Object>> expected)
            throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CSVParser parser =
                CSVParser.parse(
                        new InputStreamReader(
                                new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
                        CSV)) {
            int i = 0;
            for (CSVRecord record : parser) {
                Map<String, Object> like = i < expected.size() ? expected.get(i) : Map.of();
                Map<String, Object> row = new LinkedHashMap<>();
                for (String name : parser.getHeaderNames()) {
                    row.put(name, fromText(record.get(name), like.get(name)));
                }
                rows.add(row);
                i++;
            }
        }
        return rows;
    }

    /** A CSV cell as the kind of value SQL has there; lists and JSON are JSON text. */
    private static Object fromText(String cell, Object like) throws IOException {
        if (cell == null) {
            return null;
        }
        if (like instanceof List<?> || like instanceof JsonNode) {
            return fromJson(JSON.readTree(cell), like);
        }
        if (like instanceof Instant) {
            return Instant.parse(cell);
        }
        if (like instanceof Double) {
            return Double.parseDouble(cell);
        }
        if (like instanceof Integer) {
            return Integer.parseInt(cell);
        }
        if (like instanceof Long) {
            return Long.parseLong(cell);
        }
        if (like instanceof Boolean) {
            return switch (cell) {
                case "true" -> true;
                case "false" -> false;
                default -> cell;
            };
        }
        return cell;
    }

    private static List<Map<String, Object>> jsonLines(
            byte[] bytes, List<Map<String, Object>> expected) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return rows;
        }
        String[] lines = text.split("\n", -1);
        // every line ends with a newline, so the last piece is empty
        if (!lines[lines.length - 1].isEmpty()) {
            throw new AssertionError("the last line does not end with a newline");
        }
        for (int i = 0; i < lines.length - 1; i++) {
            JsonNode node = JSON.readTree(lines[i]);
            Map<String, Object> like = i < expected.size() ? expected.get(i) : Map.of();
            Map<String, Object> row = new LinkedHashMap<>();
            node.fields()
                    .forEachRemaining(
                            field ->
                                    row.put(
                                            field.getKey(),
                                            fromJson(field.getValue(), like.get(field.getKey()))));
            rows.add(row);
        }
        return rows;
    }

    /** A JSON value as the kind of value SQL has there; times are ISO-8601 text. */
    private static Object fromJson(JsonNode node, Object like) {
        if (node.isNull()) {
            return null;
        }
        if (like instanceof JsonNode) {
            return node;
        }
        if (like instanceof List<?> list) {
            List<Object> values = new ArrayList<>();
            Object element = list.isEmpty() ? null : list.get(0);
            node.forEach(item -> values.add(fromJson(item, element)));
            return values;
        }
        if (like instanceof Instant && node.isTextual()) {
            return Instant.parse(node.asText());
        }
        if (like instanceof Double && node.isNumber()) {
            return node.doubleValue();
        }
        if (like instanceof Integer && node.isInt()) {
            return node.intValue();
        }
        if (like instanceof Long && node.isIntegralNumber()) {
            return node.longValue();
        }
        if (like instanceof Boolean && node.isBoolean()) {
            return node.booleanValue();
        }
        // a string where SQL has a string; anything else stays a node, which no SQL value equals
        return node.isTextual() ? node.asText() : node;
    }

    private static List<Map<String, Object>> parquet(
            byte[] bytes, List<Map<String, Object>> expected, Path scratch) throws IOException {
        Path file = Files.createTempFile(scratch, "read-", ".parquet");
        Files.write(file, bytes);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ParquetFileReader reader =
                ParquetFileReader.open(new LocalInputFile(file), READ_OPTIONS)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records =
                        new ColumnIOFactory()
                                .getColumnIO(schema)
                                .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++) {
                    Group group = records.read();
                    int i = rows.size();
                    Map<String, Object> like = i < expected.size() ? expected.get(i) : Map.of();
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (Type field : schema.getFields()) {
                        row.put(
                                field.getName(),
                                fromParquet(group, field, like.get(field.getName())));
                    }
                    rows.add(row);
                }
            }
        } finally {
            Files.delete(file);
        }
        return rows;
    }

    /** The Parquet schema of a file, for its types. */
    static MessageType parquetSchema(byte[] bytes, Path scratch) throws IOException {
        Path file = Files.createTempFile(scratch, "schema-", ".parquet");
        Files.write(file, bytes);
        try (ParquetFileReader reader =
                ParquetFileReader.open(new LocalInputFile(file), READ_OPTIONS)) {
            return reader.getFooter().getFileMetaData().getSchema();
        } finally {
            Files.delete(file);
        }
    }

    private static Object fromParquet(Group group, Type field, Object like) {
        String name = field.getName();
        if (group.getFieldRepetitionCount(name) == 0) {
            return null;
        }
        if (!field.isPrimitive()) {
            // LIST: <name> { repeated group list { element } }
            Group list = group.getGroup(name, 0);
            GroupType listType = field.asGroupType();
            List<Object> values = new ArrayList<>();
            Object element = like instanceof List<?> l && !l.isEmpty() ? l.get(0) : null;
            String repeated = listType.getType(0).getName();
            for (int i = 0; i < list.getFieldRepetitionCount(repeated); i++) {
                Group item = list.getGroup(repeated, i);
                values.add(primitive(item, "element", element));
            }
            return values;
        }
        return primitive(group, name, like);
    }

    private static Object primitive(Group group, String name, Object like) {
        if (like == null) {
            // no SQL value to go by (counting rows only): the value as text
            return group.getValueToString(group.getType().getFieldIndex(name), 0);
        }
        if (like instanceof Instant) {
            return Instant.ofEpochMilli(group.getLong(name, 0));
        }
        if (like instanceof Double) {
            return group.getDouble(name, 0);
        }
        if (like instanceof Integer) {
            return group.getInteger(name, 0);
        }
        if (like instanceof Long) {
            return group.getLong(name, 0);
        }
        if (like instanceof Boolean) {
            return group.getBoolean(name, 0);
        }
        if (like instanceof JsonNode) {
            try {
                return JSON.readTree(group.getString(name, 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return group.getString(name, 0);
    }
}
