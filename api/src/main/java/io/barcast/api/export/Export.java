package io.barcast.api.export;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * An export as the {@code exports} table keeps it: what was asked, by which key, and how far it
 * got.
 *
 * @param maxRows the most rows it may hold, the caller's tier's cap when it was asked for
 * @param attempts how often an instance started writing it
 * @param fileName the name a download gets, once done
 */
public record Export(
        UUID id,
        String keyId,
        ExportKind kind,
        ExportFormat format,
        ExportCompression compression,
        List<String> symbols,
        Instant from,
        Instant to,
        long maxRows,
        State state,
        long rowsWritten,
        Long bytes,
        String fileName,
        String error,
        int attempts,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant expiresAt) {

    /** Where an export is: queued, running, done, failed or expired. */
    public enum State {
        QUEUED,
        RUNNING,
        DONE,
        FAILED,
        EXPIRED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /** The extension of its file: {@code .csv}, {@code .jsonl.gz}, {@code .zip}... */
    String extension() {
        if (compression == ExportCompression.ZIP) {
            return ".zip";
        }
        return "." + format.extension() + compression.suffix();
    }

    /** The name a download gets: {@code barcast-predictions-<id>.csv.gz}. */
    String downloadName() {
        return "barcast-" + kind.label() + "-" + id + extension();
    }

    /** The name of its finished file in the exports folder. */
    String storedName() {
        return id + extension();
    }

    /** The prefix of the files an attempt writes before it finishes. */
    String partPrefix(int attempt) {
        return id + "-" + attempt + ".part";
    }

    /** The Content-Type of its file. */
    String contentType() {
        return switch (compression) {
            case ZIP -> "application/zip";
            case GZIP -> "application/gzip";
            case NONE -> format.contentType();
        };
    }
}
