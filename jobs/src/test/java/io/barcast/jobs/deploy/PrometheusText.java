package io.barcast.jobs.deploy;

import java.util.Set;
import java.util.TreeSet;

/**
 * Reads Prometheus' text exposition format as a scraper does, as far as the metric-name checks
 * need: the sample names (a summary's {@code _count}, a histogram's {@code _bucket} are names of
 * their own, as PromQL sees them) and a sample's value.
 */
final class PrometheusText {

    private PrometheusText() {}

    /** The names of all samples; comments ({@code # HELP}, {@code # TYPE}) name no sample. */
    static Set<String> sampleNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(nameOf(line));
            }
        }
        return names;
    }

    /** The largest value of the samples named {@code name} (any labels), or NaN if none. */
    static double value(String text, String name) {
        double max = Double.NaN;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || !nameOf(line).equals(name)) {
                continue;
            }
            // the value follows the labels (whose values may hold spaces) and precedes an
            // optional timestamp
            String rest = line.substring(line.lastIndexOf('}') + 1).trim();
            if (rest.isEmpty() || line.indexOf('{') < 0) {
                rest = line.substring(name.length()).trim();
            }
            double value = Double.parseDouble(rest.split("\\s+")[0]);
            max = Double.isNaN(max) ? value : Math.max(max, value);
        }
        return max;
    }

    private static String nameOf(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        return line.substring(0, end);
    }
}
