package io.barcast.functions.models;

import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A model a folder serves: what a forecast needs to name the model and to read its output, in plain
 * strings so that it can be broadcast and kept in state.
 *
 * @param folder {@code default} or the symbol folder's name, e.g. {@code X_BTCUSD}
 * @param fingerprint {@link ModelBundle#fingerprint()} of the folder's files
 * @param specJson the folder's {@code model.json} as written
 */
public record ModelVersion(
        String folder, String name, String version, String fingerprint, String specJson)
        implements java.io.Serializable {

    static ModelVersion of(String folder, ModelBundle bundle) {
        return new ModelVersion(
                folder,
                bundle.spec().name(),
                bundle.spec().version(),
                bundle.fingerprint(),
                bundle.specJson());
    }

    /** {@code specJson} parsed; it was validated when the model was accepted. */
    public ModelSpec spec() {
        try {
            return ModelSpec.parse(
                    new ByteArrayInputStream(specJson.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("model.json of " + folder + " " + version, e);
        }
    }
}
