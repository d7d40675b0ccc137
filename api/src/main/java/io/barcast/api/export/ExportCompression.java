package io.barcast.api.export;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What wraps an export's file: nothing, gzip, or a zip archive. {@code all} is always a zip (one
 * entry per kind); Parquet compresses its column chunks itself and is never wrapped alone.
 */
public enum ExportCompression {
    NONE(""),
    GZIP(".gz"),
    ZIP(".zip");

    private final String suffix;

    ExportCompression(String suffix) {
        this.suffix = suffix;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    String suffix() {
        return suffix;
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(ExportCompression::label).toList();
    }

    static ExportCompression of(String label) {
        for (ExportCompression compression : values()) {
            if (compression.label().equals(label)) {
                return compression;
            }
        }
        return null;
    }
}
