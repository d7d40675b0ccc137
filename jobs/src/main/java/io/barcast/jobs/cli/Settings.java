package io.barcast.jobs.cli;

import io.barcast.jobs.BarSources;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.SourceOptions.SourceKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

/** The settings options the commands share: a YAML file and {@code --set key=value} pairs. */
final class Settings {

    @CommandLine.Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML file of options (nested keys or dotted keys).")
    Path configFile;

    @CommandLine.Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Sets an option (repeatable); wins over the config file and the flags.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * The config file, then {@code flags}, then the --set pairs; with source polygon, the Polygon
     * options and key are checked too, before anything starts.
     */
    BarcastConfig resolve(Map<String, String> flags) {
        BarcastConfig config = resolveWithoutSource(flags);
        if (config.source() == SourceKind.POLYGON) {
            BarSources.create(config);
        }
        return config;
    }

    /**
     * {@link #resolve} for the commands that never read bars (the API, its keys): they share the
     * job's config file, but need no Polygon key.
     */
    BarcastConfig resolveWithoutSource(Map<String, String> flags) {
        Map<String, String> all = new LinkedHashMap<>();
        if (configFile != null) {
            all.putAll(BarcastConfig.readYaml(configFile));
        }
        all.putAll(flags);
        all.putAll(overrides);
        return BarcastConfig.of(BarcastConfig.withSecretsFrom(System.getenv(), all));
    }

    /** Reads "90s", "5 min", "PT90S". */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return value.startsWith("P") || value.startsWith("p")
                        ? Duration.parse(value)
                        : TimeUtils.parseDuration(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration (e.g. 90s, 5min, PT1H)");
            }
        }
    }
}
