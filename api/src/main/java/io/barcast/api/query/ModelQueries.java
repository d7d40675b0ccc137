package io.barcast.api.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.model.ModelSpec;
import io.barcast.functions.models.ModelLocation;
import io.barcast.functions.models.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models in the API's model folder, as the job finds them ({@link ModelRegistry#modelFolders};
 * the bundled default model when there is no folder), each described from its {@code model.json}
 * with the forecasts it made in the last 24 hours. A folder whose {@code model.json} the job would
 * refuse is left out: its symbols fall back to the default model.
 */
public final class ModelQueries {

    private static final Logger LOG = LoggerFactory.getLogger(ModelQueries.class);

    /**
     * Entries of {@code model.json training} that are not about how the model was trained: its
     * metrics (shown as {@code held_out}) and the export's test vectors.
     */
    private static final List<String> NOT_FACTS = List.of("metrics", "export_check");

    private static final String FORECASTS_BY_MODEL =
            """
            SELECT model_folder, model_version, count(*) AS forecasts FROM predictions
            WHERE predicted_at >= ? GROUP BY model_folder, model_version
            """;

    private final DataSource db;
    private final Path modelDir;

    public ModelQueries(DataSource db, Path modelDir) {
        this.db = db;
        this.modelDir = modelDir;
    }

    /**
     * A model a folder serves.
     *
     * @param trainedAt the day it was trained ({@code training.date}), or null
     * @param barInterval the bar interval it was trained on, ISO-8601, e.g. {@code PT15M}
     * @param training how it was trained, from {@code model.json training} without its metrics
     * @param heldOut its metrics on held-out data ({@code training.metrics})
     * @param forecasts24h forecasts of this folder and version made in the last 24 hours
     */
    public record ModelInfo(
            String folder,
            String name,
            String version,
            String trainedAt,
            String barInterval,
            int sequenceLength,
            List<String> features,
            int[] horizonSteps,
            JsonNode training,
            JsonNode heldOut,
            @JsonProperty("forecasts_24h") long forecasts24h) {}

    /** The models, sorted by folder, at {@code now}. */
    public List<ModelInfo> models(Instant now) throws SQLException, IOException {
        Map<String, ModelSpec> specs = specs();
        Map<String, Long> recent = forecastsSince(now.minus(Duration.ofDays(1)));
        List<ModelInfo> models = new ArrayList<>(specs.size());
        for (Map.Entry<String, ModelSpec> entry : specs.entrySet()) {
            models.add(info(entry.getKey(), entry.getValue(), recent));
        }
        return models;
    }

    private Map<String, ModelSpec> specs() throws IOException {
        Map<String, ModelSpec> specs = new TreeMap<>();
        if (modelDir == null || !Files.isDirectory(modelDir)) {
            // as the job: without a folder, the bundled default model serves every symbol
            specs.put(
                    ModelRegistry.DEFAULT, ModelBundle.loadResource(ModelLocation.BUNDLED).spec());
            return specs;
        }
        for (Map.Entry<String, Path> folder : ModelRegistry.modelFolders(modelDir).entrySet()) {
            ModelSpec spec = readSpec(folder.getValue());
            if (spec != null) {
                specs.put(folder.getKey(), spec);
            }
        }
        return specs;
    }

    /** The folder's validated model.json, or null when the job would refuse the folder. */
    private static ModelSpec readSpec(Path dir) {
        if (!Files.isRegularFile(dir.resolve(ModelBundle.ONNX_FILE))) {
            return null;
        }
        try (InputStream in = Files.newInputStream(dir.resolve(ModelBundle.SPEC_FILE))) {
            ModelSpec spec = ModelSpec.parse(in);
            spec.validate();
            return spec;
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("Model folder {} left out: {}", dir, e.getMessage());
            return null;
        }
    }

    private static ModelInfo info(String folder, ModelSpec spec, Map<String, Long> recent) {
        JsonNode training = spec.training();
        JsonNode facts = null;
        JsonNode heldOut = null;
        String trainedAt = null;
        if (training instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            copy.remove(NOT_FACTS);
            facts = copy;
            heldOut = object.get("metrics");
            trainedAt = object.path("date").isTextual() ? object.get("date").asText() : null;
        }
        return new ModelInfo(
                folder,
                spec.name(),
                spec.version(),
                trainedAt,
                spec.interval().toString(),
                spec.input().sequenceLength(),
                spec.input().features(),
                spec.output().horizonSteps(),
                facts,
                heldOut,
                recent.getOrDefault(key(folder, spec.version()), 0L));
    }

    private Map<String, Long> forecastsSince(Instant since) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement statement = c.prepareStatement(FORECASTS_BY_MODEL)) {
            statement.setObject(1, PredictionQueries.utc(since));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(
                            key(rows.getString("model_folder"), rows.getString("model_version")),
                            rows.getLong("forecasts"));
                }
            }
        }
        return counts;
    }

    private static String key(String folder, String version) {
        return folder + '\n' + version;
    }
}
