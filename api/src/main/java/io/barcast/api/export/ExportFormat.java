package io.barcast.api.export;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The file formats of an export. */
public enum ExportFormat {
    /** RFC 4180 CSV with a header row; lists and JSON values as JSON text in their cell. */
    CSV("csv", "text/csv; charset=utf-8"),
    /** One JSON object a line; lists as arrays, JSON values as objects. */
    JSONL("jsonl", "application/x-ndjson"),
    /** Apache Parquet, snappy-compressed column chunks; lists as LIST columns. */
    PARQUET("parquet", "application/vnd.apache.parquet");

    private final String extension;
    private final String contentType;

    ExportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    String extension() {
        return extension;
    }

    String contentType() {
        return contentType;
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(ExportFormat::label).toList();
    }

    static ExportFormat of(String label) {
        for (ExportFormat format : values()) {
            if (format.label().equals(label)) {
                return format;
            }
        }
        return null;
    }
}
