package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.functions.models.ModelVersion;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InvalidOptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {

    @TempDir Path dir;

    private static BarcastConfig modelDir(Path path) {
        return BarcastConfig.of(Map.of("model.dir", path.toString()));
    }

    @Test
    void aBrokenDefaultModelStopsStartUpNamingTheOption() throws Exception {
        Path models = dir.resolve("models");
        Path defaultModel = models.resolve("default");
        Files.createDirectories(defaultModel);
        Files.copy(
                Path.of("..", "models", "default", "model.json"),
                defaultModel.resolve("model.json"));
        Files.write(defaultModel.resolve("model.onnx"), new byte[] {0, 1, 2});

        assertThatThrownBy(() -> PipelineSettings.from(modelDir(models)))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("option 'model.dir': cannot load model")
                .hasMessageContaining("default");
    }

    @Test
    void aMissingModelFolderThatWasAskedForStopsStartUp() {
        assertThatThrownBy(() -> PipelineSettings.from(modelDir(dir.resolve("nowhere"))))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("option 'model.dir': no model folder");
    }

    @Test
    void aModelsRootServesDefaultAndEachSymbolsOwnFolder() throws Exception {
        Path models = dir.resolve("models");
        for (String folder : List.of("default", "X_BTCUSD")) {
            Files.createDirectories(models.resolve(folder));
            for (String file : List.of("model.json", "model.onnx")) {
                Files.copy(
                        Path.of("..", "models", "default", file),
                        models.resolve(folder).resolve(file));
            }
        }
        List<ModelVersion> catalog = PipelineSettings.from(modelDir(models)).initialCatalog();
        assertThat(catalog).extracting(ModelVersion::folder).containsExactly("X_BTCUSD", "default");
    }
}
