package io.barcast.jobs;

import io.barcast.core.model.ModelBundle;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.InvalidOptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the model the {@code model.dir} option names, or the bundled default model. */
public final class Models {

    /** Where the job jar carries the default model. */
    public static final String BUNDLED_DEFAULT = "models/default";

    private Models() {}

    public static ModelBundle load(BarcastConfig config) {
        String dir = config.get(InferenceOptions.MODEL_DIR);
        try {
            ModelBundle bundle;
            if (Files.isDirectory(Path.of(dir))) {
                bundle = ModelBundle.load(Path.of(dir));
            } else if (config.isSet(InferenceOptions.MODEL_DIR)) {
                throw new InvalidOptionException(
                        InferenceOptions.MODEL_DIR.key(), "no model folder at " + dir);
            } else {
                bundle = ModelBundle.loadResource(BUNDLED_DEFAULT);
            }
            bundle.spec().validate();
            return bundle;
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof InvalidOptionException invalid) {
                throw invalid;
            }
            throw new InvalidOptionException(
                    InferenceOptions.MODEL_DIR.key(), "cannot load model: " + e.getMessage());
        }
    }
}
