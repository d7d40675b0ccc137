package io.barcast.functions.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The query API runs {@link BarsForecaster} with no Flink on its class path: no class it can reach
 * in barcast's own code may name a Flink class, or the API fails at run time, not at build time.
 */
class ForecastingWithoutFlinkTest {

    @Test
    void noClassTheBarsForecasterReachesNamesAFlinkClass() throws Exception {
        Map<String, Set<String>> uses =
                classDependencies(locationOf(BarsForecaster.class), locationOf(Bar.class));
        Map<String, String> reachedFrom = new HashMap<>();
        Deque<String> next = new ArrayDeque<>(List.of(BarsForecaster.class.getName()));
        reachedFrom.put(BarsForecaster.class.getName(), null);
        List<String> flink = new ArrayList<>();
        while (!next.isEmpty()) {
            String type = next.poll();
            if (type.startsWith("org.apache.flink.")) {
                flink.add(pathTo(type, reachedFrom));
                continue;
            }
            for (String used : uses.getOrDefault(type, Set.of())) {
                if (!reachedFrom.containsKey(used)) {
                    reachedFrom.put(used, type);
                    next.add(used);
                }
            }
        }
        assertThat(reachedFrom)
                .containsKeys(
                        "io.barcast.functions.track.ForecastAssembler",
                        "io.barcast.functions.window.SymbolHistory",
                        "io.barcast.functions.inference.InferenceBatcher");
        assertThat(flink).isEmpty();
    }

    /** Which classes each class of {@code locations} names, as jdeps reads their class files. */
    private static Map<String, Set<String>> classDependencies(String... locations) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none"));
        args.addAll(List.of(locations));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
        assertThat(code).as("jdeps %s: %s", args, err).isZero();
        Map<String, Set<String>> uses = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->")) {
                uses.computeIfAbsent(parts[0], k -> new HashSet<>()).add(parts[2]);
            }
        }
        return uses;
    }

    private static String pathTo(String type, Map<String, String> reachedFrom) {
        StringBuilder path = new StringBuilder(type);
        for (String from = reachedFrom.get(type); from != null; from = reachedFrom.get(from)) {
            path.insert(0, from + " -> ");
        }
        return path.toString();
    }

    private static String locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
