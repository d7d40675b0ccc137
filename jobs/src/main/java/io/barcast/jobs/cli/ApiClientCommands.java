package io.barcast.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The terminal's view of the query API: {@code barcast status}, {@code barcast predictions
 * [SYMBOL]}, {@code barcast recommendations}. Each prints readable tables of what the API answers;
 * a failed call is one line on stderr and exit code 1 ({@link BarcastCli}).
 */
final class ApiClientCommands {

    private ApiClientCommands() {}

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Shows what barcast last saw and made, from the query API.")
    static final class Status implements Callable<Integer> {
        @Mixin ApiConnection api;

        @Override
        public Integer call() throws Exception {
            print(api.get("/api/v1/status"), System.out);
            return 0;
        }

        static void print(JsonNode s, PrintStream out) {
            JsonNode bars = s.path("bars");
            JsonNode forecasts = s.path("forecasts");
            TextTable table = new TextTable("", "SYMBOLS", "NEWEST", "LAG");
            table.row(
                    "bars",
                    text(bars, "symbols"),
                    text(bars, "newest_bar_time"),
                    seconds(bars.path("lag_seconds")));
            table.row(
                    "forecasts",
                    text(forecasts, "symbols"),
                    text(forecasts, "newest_as_of"),
                    seconds(forecasts.path("lag_seconds")));
            table.print(out);
            out.println();
            out.println("forecasts in the last hour : " + text(forecasts, "last_hour"));
            out.println(
                    "active recommendations     : " + text(s.path("recommendations"), "active"));
            out.println("alerts in the last hour    : " + text(s, "alerts_last_hour"));
            out.println("dead letters last hour     : " + text(s, "dead_letters_last_hour"));
            JsonNode job = s.path("job");
            out.println(
                    "Flink job                  : "
                            + (job.isMissingNode() || job.isNull()
                                    ? "not known (set api.flink-rest-url)"
                                    : text(job, "state") + " " + text(job, "name")));
            JsonNode models = forecasts.path("models");
            if (models.size() > 0) {
                out.println();
                TextTable versions = new TextTable("MODEL", "VERSION", "FORECASTS 24H");
                for (JsonNode m : models) {
                    versions.row(
                            text(m, "model_name"),
                            text(m, "model_version"),
                            text(m, "forecasts_24h"));
                }
                versions.print(out);
            }
        }
    }

    @Command(
            name = "predictions",
            mixinStandardHelpOptions = true,
            description = {
                "Shows the latest forecast of SYMBOL (its path by day, band and confidence),",
                "or without SYMBOL the latest forecast of every symbol."
            })
    static final class Predictions implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "SYMBOL", description = "e.g. AAPL, X:BTCUSD")
        String symbol;

        @Option(names = "--limit", defaultValue = "50", description = "Symbols to list.")
        int limit;

        @Mixin ApiConnection api;

        @Override
        public Integer call() throws Exception {
            if (symbol == null) {
                printLatest(
                        api.get("/api/v1/predictions", "limit", Integer.toString(limit)),
                        System.out);
            } else {
                printOne(api.get("/api/v1/predictions/" + encodePath(symbol)), System.out);
            }
            return 0;
        }

        static void printLatest(JsonNode page, PrintStream out) {
            TextTable table =
                    new TextTable(
                            "SYMBOL",
                            "AS OF",
                            "LAST",
                            "IN 1 WEEK",
                            "CHANGE",
                            "CONFIDENCE",
                            "MODEL");
            for (JsonNode p : page.path("items")) {
                table.row(
                        text(p, "symbol"),
                        text(p, "as_of"),
                        price(p.path("last_close")),
                        price(p.path("final_price")),
                        percent(p.path("expected_return_percent")),
                        confidence(p),
                        text(p, "model_name") + " " + text(p, "model_version"));
            }
            table.print(out);
        }

        static void printOne(JsonNode p, PrintStream out) {
            out.printf(
                    "%s  as of %s  (%s, model %s %s)%n",
                    text(p, "symbol"),
                    text(p, "as_of"),
                    text(p, "reason"),
                    text(p, "model_name"),
                    text(p, "model_version"));
            out.printf(
                    "last close %s -> %s in a week (%s), confidence %s%n%n",
                    price(p.path("last_close")),
                    price(p.path("final_price")),
                    percent(p.path("expected_return_percent")),
                    confidence(p));
            // one line per day: the last point of each UTC day, so a week fits a screen
            TextTable path = new TextTable("TIME", "PRICE", "BAND LOW", "BAND HIGH");
            JsonNode points = p.path("path");
            for (int i = 0; i < points.size(); i++) {
                JsonNode point = points.get(i);
                boolean lastOfDay =
                        i == points.size() - 1
                                || !text(points.get(i + 1), "time")
                                        .regionMatches(0, text(point, "time"), 0, 10);
                if (lastOfDay) {
                    path.row(
                            text(point, "time"),
                            price(point.path("price")),
                            price(point.path("lower")),
                            price(point.path("upper")));
                }
            }
            path.print(out);
            JsonNode factors = p.path("confidence_detail").path("factors");
            if (factors.size() > 0) {
                out.println();
                TextTable table = new TextTable("CONFIDENCE FACTOR", "VALUE");
                Iterator<Map.Entry<String, JsonNode>> fields = factors.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> factor = fields.next();
                    table.row(
                            factor.getKey(),
                            String.format(Locale.ROOT, "%.2f", factor.getValue().asDouble()));
                }
                table.print(out);
            }
        }
    }

    @Command(
            name = "recommendations",
            mixinStandardHelpOptions = true,
            description = "Shows the active trade recommendations.")
    static final class Recommendations implements Callable<Integer> {
        @Option(names = "--symbols", description = "Only these, e.g. AAPL,MSFT.")
        String symbols;

        @Option(names = "--limit", defaultValue = "50", description = "Rows to show.")
        int limit;

        @Mixin ApiConnection api;

        @Override
        public Integer call() throws Exception {
            print(
                    api.get(
                            "/api/v1/recommendations",
                            "symbols",
                            symbols,
                            "limit",
                            Integer.toString(limit)),
                    System.out);
            return 0;
        }

        static void print(JsonNode page, PrintStream out) {
            TextTable table =
                    new TextTable(
                            "SYMBOL",
                            "SIDE",
                            "ENTRY",
                            "AT",
                            "TARGET",
                            "STOP",
                            "EXIT BY",
                            "RETURN",
                            "R/R",
                            "CONFIDENCE");
            for (JsonNode r : page.path("items")) {
                table.row(
                        text(r, "symbol"),
                        text(r, "side"),
                        price(r.path("entry_price")),
                        text(r, "entry_time"),
                        price(r.path("target_price")),
                        price(r.path("stop_loss")),
                        text(r, "exit_time"),
                        percent(r.path("expected_return_percent")),
                        String.format(Locale.ROOT, "%.2f", r.path("risk_reward").asDouble()),
                        String.format(Locale.ROOT, "%.2f", r.path("confidence").asDouble()));
            }
            if (table.size() == 0) {
                out.println("No active recommendations.");
            } else {
                table.print(out);
            }
        }
    }

    private static String encodePath(String symbol) {
        return java.net.URLEncoder.encode(symbol, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }

    private static String price(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%,.4f", value.asDouble()) : "-";
    }

    private static String percent(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%+.2f%%", value.asDouble()) : "-";
    }

    private static String seconds(JsonNode value) {
        if (!value.isNumber()) {
            return "-";
        }
        long s = value.asLong();
        return s < 120 ? s + " s" : s < 7_200 ? (s / 60) + " min" : (s / 3_600) + " h";
    }

    private static String confidence(JsonNode p) {
        JsonNode value = p.path("confidence");
        return value.isNumber()
                ? String.format(
                        Locale.ROOT, "%.2f (%s)", value.asDouble(), text(p, "confidence_level"))
                : "-";
    }
}
