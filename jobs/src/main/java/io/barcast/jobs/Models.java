package io.barcast.jobs;

import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.model.ModelBundle;
import io.barcast.functions.models.ModelLocation;
import io.barcast.functions.models.ModelRegistry;
import io.barcast.functions.models.ModelVersion;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.InvalidOptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the models are, and which of them are valid now. */
public final class Models {

    private Models() {}

    /**
     * The {@code model.dir} folder, or the default model bundled in the job jar when the folder
     * does not exist and the option was left at its default.
     */
    public static ModelLocation location(BarcastConfig config, SymbolCalendars calendars) {
        String dir = config.get(InferenceOptions.MODEL_DIR);
        if (!Files.isDirectory(Path.of(dir)) && config.isSet(InferenceOptions.MODEL_DIR)) {
            throw new InvalidOptionException(
                    InferenceOptions.MODEL_DIR.key(), "no model folder at " + dir);
        }
        ModelLocation location =
                Files.isDirectory(Path.of(dir))
                        ? ModelLocation.at(Path.of(dir).toAbsolutePath().toString())
                        : ModelLocation.bundled();
        return location.withRetireGrace(config.get(InferenceOptions.MODEL_RETIRE_GRACE))
                .withCalendarOf(symbol -> calendars.of(symbol).name());
    }

    /** The default model's files, for measuring it on its own. */
    public static ModelBundle defaultBundle(BarcastConfig config) {
        Path dir = Path.of(config.get(InferenceOptions.MODEL_DIR));
        try {
            if (Files.isRegularFile(dir.resolve(ModelBundle.SPEC_FILE))) {
                return ModelBundle.load(dir);
            }
            if (Files.isDirectory(dir.resolve(ModelRegistry.DEFAULT))) {
                return ModelBundle.load(dir.resolve(ModelRegistry.DEFAULT));
            }
            return ModelBundle.loadResource(ModelLocation.BUNDLED);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidOptionException(
                    InferenceOptions.MODEL_DIR.key(), "cannot load model: " + e.getMessage());
        }
    }

    /** The valid models of {@code location} now; a broken default model stops start-up. */
    public static List<ModelVersion> catalog(ModelLocation location) {
        ModelRegistry registry;
        try {
            registry = ModelRegistry.acquire(location);
        } catch (Exception e) {
            throw new InvalidOptionException(
                    InferenceOptions.MODEL_DIR.key(), "cannot load model: " + e.getMessage());
        }
        try {
            return registry.catalog().models();
        } finally {
            registry.release();
        }
    }
}
