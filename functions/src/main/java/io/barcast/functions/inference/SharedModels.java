package io.barcast.functions.inference;

import io.barcast.core.model.ModelBundle;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link OnnxModel} per model per JVM, shared by every operator instance in the task manager
 * and closed when the last one lets go. Sessions are costly in memory and two of them would compete
 * for the same cores.
 */
public final class SharedModels {

    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);

    private static final Map<String, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /** The shared session of this model, opened on first use. Pair with {@link #release}. */
    public static synchronized OnnxModel acquire(ModelBundle bundle) throws Exception {
        String key = keyOf(bundle);
        Entry entry = MODELS.get(key);
        if (entry == null) {
            LOG.info("Opening ONNX Runtime session for model {}", key);
            entry = new Entry(new OnnxModel(bundle));
            MODELS.put(key, entry);
        }
        entry.users++;
        return entry.model;
    }

    public static synchronized void release(ModelBundle bundle) throws Exception {
        String key = keyOf(bundle);
        Entry entry = MODELS.get(key);
        if (entry != null && --entry.users == 0) {
            MODELS.remove(key);
            entry.model.close();
            LOG.info("Closed ONNX Runtime session for model {}", key);
        }
    }

    private static String keyOf(ModelBundle bundle) {
        return bundle.spec().name() + "@" + bundle.spec().version() + " from " + bundle.source();
    }

    private static final class Entry {
        final OnnxModel model;
        int users;

        Entry(OnnxModel model) {
            this.model = model;
        }
    }
}
