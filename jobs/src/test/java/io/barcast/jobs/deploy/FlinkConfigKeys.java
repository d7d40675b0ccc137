package io.barcast.jobs.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.flink.annotation.docs.Documentation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys the Flink on the classpath knows: every {@link ConfigOption} of every
 * {@code *Options} class in Flink's jars, with its fallback and deprecated keys. Options documented
 * as suffixes ({@link Documentation.SuffixOption}, e.g. {@code
 * metrics.reporter.<name>.factory.class}) and the options of the metric reporters ({@code
 * metrics.reporter.<name>.port}) match under their prefix with any name. Flink forwards {@code
 * containerized.*.env.<VAR>} as environment variables.
 */
final class FlinkConfigKeys {

    private static final String REPORTER_PREFIX = "metrics.reporter.<name>";
    private static final List<Pattern> ENV_PREFIXES =
            List.of(
                    Pattern.compile("containerized\\.master\\.env\\.[A-Za-z_][A-Za-z0-9_]*"),
                    Pattern.compile("containerized\\.taskmanager\\.env\\.[A-Za-z_][A-Za-z0-9_]*"));

    private final Set<String> keys = new TreeSet<>();
    private final List<Pattern> suffixed = new ArrayList<>(ENV_PREFIXES);
    private final Set<String> scannedJars = new TreeSet<>();

    private FlinkConfigKeys() {}

    /** The keys of every Flink jar on the test classpath. */
    static FlinkConfigKeys onClasspath() {
        FlinkConfigKeys known = new FlinkConfigKeys();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            if (file.getName().startsWith("flink-") && file.getName().endsWith(".jar")) {
                known.scan(file);
            }
        }
        return known;
    }

    boolean isKnown(String key) {
        return keys.contains(key) || suffixed.stream().anyMatch(p -> p.matcher(key).matches());
    }

    /** The keys of {@code candidates} Flink does not know, in order. */
    List<String> unknown(Collection<String> candidates) {
        return candidates.stream().filter(key -> !isKnown(key)).toList();
    }

    Set<String> scannedJars() {
        return scannedJars;
    }

    int size() {
        return keys.size();
    }

    private void scan(File jar) {
        try (JarFile archive = new JarFile(jar)) {
            Enumeration<JarEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.startsWith("org/apache/flink/") || name.contains("$")) {
                    continue;
                }
                String className = name.replace('/', '.').replace(".class", "");
                if (name.endsWith("Options.class")) {
                    collect(className);
                } else if (name.startsWith("org/apache/flink/metrics/")
                        && name.endsWith("ReporterFactory.class")) {
                    collectReporterArguments(className);
                }
            }
            scannedJars.add(jar.getName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private void collect(String className) {
        Class<?> holder;
        try {
            holder = Class.forName(className, true, getClass().getClassLoader());
        } catch (Throwable e) {
            // a class whose dependencies are not on this classpath holds no option barcast uses
            return;
        }
        boolean reporter = className.startsWith("org.apache.flink.metrics.");
        for (Field field : holder.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())
                    || !ConfigOption.class.isAssignableFrom(field.getType())) {
                continue;
            }
            ConfigOption<?> option;
            try {
                field.setAccessible(true);
                option = (ConfigOption<?>) field.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            Documentation.SuffixOption suffix =
                    field.getAnnotation(Documentation.SuffixOption.class);
            String prefix = suffix != null ? suffix.value() : reporter ? REPORTER_PREFIX : null;
            add(prefix, option.key());
            for (FallbackKey fallback : option.fallbackKeys()) {
                add(prefix, fallback.getKey());
            }
        }
    }

    /**
     * A reporter factory that reads its parameters by name ({@code static final String ARG_PORT =
     * "port"}, as the Prometheus reporter does) rather than through {@link ConfigOption}s.
     */
    private void collectReporterArguments(String className) {
        Class<?> factory;
        try {
            factory = Class.forName(className, true, getClass().getClassLoader());
        } catch (Throwable e) {
            return;
        }
        for (Field field : factory.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && field.getType() == String.class
                    && field.getName().startsWith("ARG_")) {
                try {
                    field.setAccessible(true);
                    add(REPORTER_PREFIX, (String) field.get(null));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not readable: not a parameter this check can confirm
                }
            }
        }
    }

    private void add(String prefix, String key) {
        if (prefix != null && key.matches("<[^>]+>")) {
            // metrics.reporter.<name>.<parameter>: Flink passes any parameter to a reporter; the
            // reporters' own option classes (PrometheusReporterOptions) say which ones they read
            return;
        }
        if (prefix == null) {
            keys.add(key);
            return;
        }
        // "<name>" (or any "<...>") stands for one segment chosen by the user
        String[] parts = (prefix + "." + key).split("<[^>]+>", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("[^.]+");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        suffixed.add(Pattern.compile(regex.toString()));
    }
}
