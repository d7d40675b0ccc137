package io.barcast.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

    @Test
    void loadsAModelFolderFromTheClasspath() throws IOException {
        ModelBundle bundle = ModelBundle.loadResource("models/tiny");

        assertThat(bundle.spec().name()).isEqualTo("tiny-untrained");
        assertThat(bundle.onnx()).isNotEmpty();
        assertThat(bundle.source()).isEqualTo("classpath:models/tiny");
        assertThat(ModelBundle.loadResource("/models/tiny/").onnx()).isEqualTo(bundle.onnx());
    }

    @Test
    void loadsAModelFolderFromDisk(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.json"), ModelSpecTest.valid().toString());
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});

        ModelBundle bundle = ModelBundle.load(dir);

        assertThat(bundle.onnx()).containsExactly(1, 2, 3);
        assertThat(bundle.source()).isEqualTo(dir.toString());
        assertThat(bundle.spec().output().horizonSteps()).hasSize(14);
    }

    @Test
    void theDefaultModelIsValid() throws IOException {
        ModelBundle bundle = ModelBundle.load(Path.of("..", "models", "default"));

        assertThat(bundle.spec().input().features()).hasSize(10);
        assertThat(bundle.spec().input().sequenceLength()).isEqualTo(64);
        assertThat(bundle.spec().output().horizonSteps()).contains(130, 672);
        assertThat(bundle.spec().calendars()).containsExactlyInAnyOrder("XNYS", "24x7");
        assertThat(bundle.spec().training().path("metrics").isObject()).isTrue();
    }

    @Test
    void namesTheFolderAndFieldOfAnInvalidSpec(@TempDir Path dir) throws IOException {
        ObjectNode json = ModelSpecTest.valid();
        ((ObjectNode) json.get("output")).put("target", "price");
        Files.writeString(dir.resolve("model.json"), new ObjectMapper().writeValueAsString(json));
        Files.write(dir.resolve("model.onnx"), new byte[] {1});

        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(dir.resolve("model.json").toString())
                .hasMessageContaining("output.target is price");
    }

    @Test
    void fingerprintsBothFilesAndKeepsModelJsonAsWritten(@TempDir Path dir) throws IOException {
        String json = ModelSpecTest.valid().toString();
        Files.writeString(dir.resolve("model.json"), json);
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
        ModelBundle bundle = ModelBundle.load(dir);

        assertThat(bundle.fingerprint()).matches("[0-9a-f]{16}");
        assertThat(bundle.specJson()).isEqualTo(json);
        assertThat(ModelBundle.load(dir).fingerprint()).isEqualTo(bundle.fingerprint());

        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 4});
        String otherOnnx = ModelBundle.load(dir).fingerprint();
        Files.writeString(dir.resolve("model.json"), json + "\n");
        String otherJson = ModelBundle.load(dir).fingerprint();

        assertThat(List.of(bundle.fingerprint(), otherOnnx, otherJson)).doesNotHaveDuplicates();
        assertThat(
                        ModelBundle.fingerprint(
                                json.getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}))
                .isEqualTo(bundle.fingerprint());
    }

    @Test
    void namesTheFileAndPlaceOfJsonThatDoesNotParse(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.json"), "{\"name\": \"m\",\n \"version\": }");
        Files.write(dir.resolve("model.onnx"), new byte[] {1});

        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir.resolve("model.json") + " is not a valid model.json: ")
                .hasMessageEndingWith("(line 2, column 13)");
    }

    @Test
    void failsOnAMissingFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.json"), ModelSpecTest.valid().toString());

        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("model.onnx");
        assertThatThrownBy(() -> ModelBundle.loadResource("models/absent"))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("models/absent/model.json");
    }
}
