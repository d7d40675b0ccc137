package io.barcast.api.ops;

import io.barcast.api.ApiRoutes;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json} (no key): the API's OpenAPI 3.0.3 document, written by hand in
 * {@code openapi.json} on the classpath and read once, when the server is built, so a server
 * without it does not start.
 */
public final class OpenApiRoutes implements ApiRoutes {

    public static final String PATH = "/api/v1/openapi.json";
    static final String RESOURCE = "/openapi.json";

    private final byte[] document;

    public OpenApiRoutes() {
        this.document = read();
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, this::document, Tier.PUBLIC);
    }

    private void document(Context ctx) {
        Params.of(ctx);
        ctx.contentType("application/json").result(document);
    }

    private static byte[] read() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
