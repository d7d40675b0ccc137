package io.barcast.api.export;

import io.barcast.api.ApiContext;
import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiProblem;
import io.barcast.api.http.Cursor;
import io.barcast.api.http.JsonBody;
import io.barcast.api.http.Page;
import io.barcast.api.http.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Exports of the sink tables to files: {@code POST /api/v1/exports} queues one (202 with its id and
 * a {@code Location}), {@code GET /api/v1/exports/{export_id}} shows its state, {@code .../file}
 * downloads it once done, {@code GET /api/v1/exports} lists the caller's (an admin's: everyone's),
 * {@code DELETE /api/v1/exports/{export_id}} deletes it, cancelling it when it is queued or
 * running. An export is its key's: another key gets 404. The files are written by {@link
 * ExportService}.
 */
public final class ExportRoutes implements ApiRoutes {

    /** The most symbols one export may name. */
    static final int MAX_SYMBOLS = 100;

    private static final String BASE = "/api/v1/exports";

    private final ExportSettings settings;
    private final ExportStore store;
    private final ExportMetrics metrics;
    private final ExportService service;
    private final JsonBody body;

    public ExportRoutes(ApiContext api) {
        this.settings = api.settings().exports();
        this.store = new ExportStore(api.db());
        this.metrics = new ExportMetrics(api.metrics().registry());
        this.service = new ExportService(settings, api.db(), store, metrics);
        this.body = new JsonBody(api.mapper(), api.settings().maxBodyBytes());
    }

    /** The background writer of the exports, for the server to start and stop. */
    public ExportService service() {
        return service;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(BASE, this::create, Tier.DEFAULT);
        routes.get(BASE, this::list, Tier.DEFAULT);
        routes.get(BASE + "/{export_id}", this::show, Tier.DEFAULT);
        routes.get(BASE + "/{export_id}/file", this::download, Tier.DEFAULT);
        routes.delete(BASE + "/{export_id}", this::delete, Tier.DEFAULT);
    }

    private void create(Context ctx) throws Exception {
        Params.of(ctx);
        ExportRequest asked = body.read(ctx, ExportRequest.class);
        ExportKind kind =
                choice("kind", asked.kind(), ExportKind.labels(), ExportKind.of(asked.kind()));
        ExportFormat format =
                choice(
                        "format",
                        asked.format(),
                        ExportFormat.labels(),
                        ExportFormat.of(asked.format()));
        ExportCompression compression = compressionOf(asked.compression(), kind, format);
        List<String> symbols =
                asked.symbols() == null
                        ? List.of()
                        : Params.symbolList("symbols", asked.symbols(), MAX_SYMBOLS);
        Instant from = Params.instantOf("from", asked.from());
        Instant to = Params.instantOf("to", asked.to());
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblem.badParameter(
                    "to", "to must be after from (from is inclusive, to exclusive)");
        }
        ApiKey caller = KeyCheck.caller(ctx);
        ExportSettings.ExportLimits limits = settings.limitsOf(caller.tier());
        Export export =
                store.create(
                        caller.id(),
                        kind,
                        format,
                        compression,
                        symbols,
                        from,
                        to,
                        limits.maxRows(),
                        limits.maxActive());
        if (export == null) {
            throw ApiProblem.tooManyRequests(
                    "this key has "
                            + limits.maxActive()
                            + " exports queued or running, the most a "
                            + caller.tier().label()
                            + " key may have (api.exports.max-active."
                            + caller.tier().label()
                            + "); wait for one to finish or delete one",
                    5);
        }
        metrics.reached("queued", format);
        service.wakeUp();
        ctx.header("Location", BASE + "/" + export.id());
        ctx.status(202).json(ExportView.of(export));
    }

    private static <T> T choice(String field, String raw, List<String> labels, T value) {
        if (raw == null) {
            throw ApiProblem.badParameter(
                    field, field + " is missing: one of " + String.join(", ", labels));
        }
        if (value == null) {
            throw ApiProblem.badParameter(
                    field,
                    field
                            + " '"
                            + Params.quote(raw)
                            + "' is not one of "
                            + String.join(", ", labels));
        }
        return value;
    }

    /**
     * The compression asked for, or the kind's default: {@code all} is a zip of one file per kind
     * and takes nothing else; Parquet compresses its column chunks and is not wrapped again.
     */
    private static ExportCompression compressionOf(
            String raw, ExportKind kind, ExportFormat format) {
        ExportCompression compression =
                raw == null
                        ? (kind == ExportKind.ALL ? ExportCompression.ZIP : ExportCompression.NONE)
                        : choice(
                                "compression",
                                raw,
                                ExportCompression.labels(),
                                ExportCompression.of(raw));
        if (kind == ExportKind.ALL && compression != ExportCompression.ZIP) {
            throw ApiProblem.badParameter(
                    "compression",
                    "kind all is a zip holding one file per kind: compression must be zip or left"
                            + " out, not "
                            + compression.label());
        }
        if (kind != ExportKind.ALL
                && format == ExportFormat.PARQUET
                && compression != ExportCompression.NONE) {
            throw ApiProblem.badParameter(
                    "compression",
                    "a parquet file compresses its column chunks itself: compression must be none"
                            + " or left out, not "
                            + compression.label());
        }
        return compression;
    }

    private void list(Context ctx) throws Exception {
        Params params = Params.of(ctx, "limit", "cursor");
        int limit = Page.limit(params);
        ApiKey caller = KeyCheck.caller(ctx);
        List<Export> fetched =
                store.list(
                        caller.tier() == Tier.ADMIN ? null : caller.id(),
                        params.cursor("cursor"),
                        limit + 1);
        Page<Export> page =
                Page.of(fetched, limit, export -> new Cursor(export.createdAt(), export.id()));
        ctx.json(new Page<>(page.items().stream().map(ExportView::of).toList(), page.nextCursor()));
    }

    private void show(Context ctx) throws Exception {
        Params.of(ctx);
        ctx.json(ExportView.of(owned(ctx)));
    }

    private void download(Context ctx) throws Exception {
        Params.of(ctx);
        Export export = owned(ctx);
        switch (export.state()) {
            case DONE -> {}
            case EXPIRED -> throw expired(export);
            case FAILED ->
                    throw ApiProblem.conflict(
                            "export "
                                    + export.id()
                                    + " failed, there is no file: "
                                    + export.error());
            default ->
                    throw ApiProblem.conflict(
                            "export "
                                    + export.id()
                                    + " is "
                                    + export.state().label()
                                    + "; its file can be downloaded once its state is done");
        }
        Path file = settings.dir().resolve(export.storedName());
        InputStream in;
        long size;
        try {
            in = Files.newInputStream(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            // expired a moment ago, or the folder is not shared with the instance that wrote it
            throw expired(export);
        }
        try (in) {
            ctx.status(200);
            // only text has a charset: Jetty would add the default one to a zip otherwise
            ctx.res().setCharacterEncoding(null);
            ctx.res().setContentType(export.contentType());
            ctx.header(
                    "Content-Disposition",
                    "attachment; filename=\"" + export.downloadName() + "\"");
            ctx.res().setContentLengthLong(size);
            // straight to the response: no compression of compressed data, no buffering of it
            try (OutputStream out = ctx.res().getOutputStream()) {
                in.transferTo(out);
            }
        }
    }

    private static ApiProblem expired(Export export) {
        return ApiProblem.gone(
                "export "
                        + export.id()
                        + " expired at "
                        + export.expiresAt()
                        + "; its file is deleted");
    }

    private void delete(Context ctx) throws Exception {
        Params.of(ctx);
        Export export = owned(ctx);
        Export deleted = store.delete(export.id());
        if (deleted == null) {
            throw notFound(export.id().toString());
        }
        if (deleted.state() == Export.State.DONE) {
            Files.deleteIfExists(settings.dir().resolve(deleted.storedName()));
        }
        // a running one's writer finds its row gone at its next report and deletes its part file
        metrics.reached("deleted", deleted.format());
        ctx.status(204);
    }

    /** The export of the path, when the caller may see it (its key's, or any for an admin). */
    private Export owned(Context ctx) throws Exception {
        String raw = ctx.pathParam("export_id");
        UUID id;
        try {
            id = UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw notFound(raw);
        }
        Export export = store.find(id);
        ApiKey caller = KeyCheck.caller(ctx);
        if (export == null
                || (caller.tier() != Tier.ADMIN && !export.keyId().equals(caller.id()))) {
            throw notFound(raw);
        }
        return export;
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("no export " + Params.quote(id) + " of this key");
    }

    /** The body of {@code POST /api/v1/exports}. */
    public record ExportRequest(
            String kind,
            String format,
            List<String> symbols,
            String from,
            String to,
            String compression) {}

    /** An export as the API shows it. */
    public record ExportView(
            UUID id,
            String keyId,
            String kind,
            String format,
            String compression,
            List<String> symbols,
            Instant from,
            Instant to,
            String state,
            long rowsWritten,
            Long maxRows,
            Long bytes,
            String fileName,
            String download,
            String error,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            Instant expiresAt) {

        static ExportView of(Export export) {
            boolean done = export.state() == Export.State.DONE;
            return new ExportView(
                    export.id(),
                    export.keyId(),
                    export.kind().label(),
                    export.format().label(),
                    export.compression().label(),
                    export.symbols(),
                    export.from(),
                    export.to(),
                    export.state().label(),
                    export.rowsWritten(),
                    export.maxRows() == ExportSettings.ExportLimits.UNLIMITED_ROWS
                            ? null
                            : export.maxRows(),
                    done ? export.bytes() : null,
                    done ? export.fileName() : null,
                    done ? BASE + "/" + export.id() + "/file" : null,
                    export.error(),
                    export.createdAt(),
                    export.startedAt(),
                    export.finishedAt(),
                    export.expiresAt());
        }
    }
}
