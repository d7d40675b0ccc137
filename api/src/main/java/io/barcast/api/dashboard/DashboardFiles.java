package io.barcast.api.dashboard;

import io.barcast.api.auth.Tier;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The dashboard: a page and its script and styles from the class path ({@code /dashboard/}, served
 * at {@code /}), and the chart library uPlot from its WebJar (served at {@code /dashboard/uplot/}).
 * They are static files, not routes: public (the page asks for a key and sends it with every API
 * call it makes), not in {@code ApiServer.routes()}, and served with a Content-Security-Policy that
 * allows only this origin's scripts, styles and connections.
 */
public final class DashboardFiles {

    /** Where the uPlot WebJar's files are served ({@code dist/uPlot.iife.min.js} ...). */
    public static final String UPLOT_PATH = "/dashboard/uplot";

    /**
     * No inline script or style element, nothing from elsewhere, no framing. {@code img-src data:}
     * for the empty favicon, so browsers do not ask for {@code /favicon.ico}.
     */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; base-uri 'none'; form-action 'none';"
                    + " frame-ancestors 'none'";

    private static final Map<String, String> HEADERS =
            Map.of(
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer",
                    // a new version of the page is picked up at once; Jetty answers 304s by ETag
                    "Cache-Control", "no-cache");

    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private DashboardFiles() {}

    /** Serves the page and uPlot from the server {@code config} configures. */
    public static void install(JavalinConfig config) {
        // the WebJar's folder: its jar has no entry for dist/ alone, so Jetty could not serve that
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion();
        config.staticFiles.add(
                files -> {
                    files.hostedPath = UPLOT_PATH;
                    files.directory = uplot;
                    files.location = Location.CLASSPATH;
                    files.headers = HEADERS;
                    files.roles = Set.of(Tier.PUBLIC);
                });
        config.staticFiles.add(
                files -> {
                    files.hostedPath = "/";
                    files.directory = "/dashboard";
                    files.location = Location.CLASSPATH;
                    files.headers = HEADERS;
                    files.roles = Set.of(Tier.PUBLIC);
                });
    }

    /** The version of the uPlot WebJar on the class path, which names its folder. */
    static String uplotVersion() {
        try (InputStream in = DashboardFiles.class.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the uPlot WebJar (org.webjars.npm:uplot) is not on the class path");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
