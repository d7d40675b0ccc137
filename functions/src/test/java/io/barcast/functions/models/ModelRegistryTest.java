package io.barcast.functions.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.core.model.ModelBundle;
import io.barcast.functions.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Model folders served from a temporary root, with real ONNX Runtime sessions. */
@Timeout(120)
class ModelRegistryTest {

    private static ModelBundle tiny;

    @TempDir Path root;

    private final List<ModelRegistry> acquired = new ArrayList<>();

    @BeforeAll
    static void loadModels() throws IOException {
        tiny = TestModels.resource("tiny");
    }

    @AfterEach
    void releaseRegistries() {
        acquired.forEach(ModelRegistry::release);
    }

    @Test
    void servesASymbolFromItsOwnFolderAndEveryOtherFromDefault() throws Exception {
        writeTiny("default", "d1");
        writeTiny("AAPL", "a1");
        writeTiny("X_BTCUSD", "b1");
        Files.createDirectories(root.resolve("training"));
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        assertThat(registry.folderFor("AAPL")).isEqualTo("AAPL");
        assertThat(registry.folderFor("MSFT")).isEqualTo("default");
        assertThat(registry.folderFor("X:BTCUSD")).isEqualTo("X_BTCUSD");
        assertThat(registry.folderFor("X:ETHUSD")).isEqualTo("default");
        assertThat(registry.catalog().models())
                .extracting(ModelVersion::folder, ModelVersion::version)
                .containsExactly(
                        tuple("AAPL", "a1"), tuple("X_BTCUSD", "b1"), tuple("default", "d1"));
        assertThat(registry.catalog().folderFor("X:BTCUSD")).isEqualTo("X_BTCUSD");
        try (ModelRegistry.Lease aapl = registry.current("AAPL");
                ModelRegistry.Lease btc = registry.current("X:BTCUSD");
                ModelRegistry.Lease msft = registry.current("MSFT")) {
            assertThat(aapl.version().version()).isEqualTo("a1");
            assertThat(btc.version().version()).isEqualTo("b1");
            assertThat(msft.version().version()).isEqualTo("d1");
            assertThat(predict(aapl.model())).hasSize(14);
            assertThat(aapl.version().fingerprint())
                    .isEqualTo(ModelBundle.load(root.resolve("AAPL")).fingerprint());
            assertThat(aapl.version().spec().version()).isEqualTo("a1");
        }
    }

    @Test
    void refusesACorruptModelOnceKeepsServingTheOldOneAndTakesTheFix() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));
        String served = registry.catalog().model("AAPL").orElseThrow().fingerprint();

        writeTiny("AAPL", "2");
        Files.write(root.resolve("AAPL/model.onnx"), new byte[] {0x42, 0x13, 0x37});
        ModelCatalog refused = registry.refresh();

        assertThat(refused.problems())
                .singleElement()
                .satisfies(
                        problem -> {
                            assertThat(problem.folder()).isEqualTo("AAPL");
                            assertThat(problem.message())
                                    .contains(root.resolve("AAPL").toString())
                                    .contains("ONNX Runtime cannot load model.onnx");
                        });
        assertThat(refused.model("AAPL").orElseThrow().fingerprint()).isEqualTo(served);
        try (ModelRegistry.Lease lease = registry.current("AAPL")) {
            assertThat(lease.version().version()).isEqualTo("1");
            assertThat(predict(lease.model())).hasSize(14);
        }

        assertThat(registry.refresh().problems()).isEmpty();
        Files.write(root.resolve("AAPL/model.onnx"), new byte[] {0x42, 0x13, 0x37});
        assertThat(registry.refresh().problems()).isEmpty();

        writeTiny("AAPL", "2");
        ModelCatalog fixed = registry.refresh();

        assertThat(fixed.problems()).isEmpty();
        assertThat(fixed.model("AAPL").orElseThrow().version()).isEqualTo("2");
    }

    @Test
    void refusesModelJsonThatIsNotJsonAndAFolderMissingAFile() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        writeTiny("MSFT", "1");
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        Files.writeString(root.resolve("AAPL/model.json"), "{\"name\": ");
        Files.delete(root.resolve("MSFT/model.json"));
        ModelCatalog catalog = registry.refresh();

        assertThat(catalog.problems())
                .extracting(ModelProblem::folder)
                .containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(catalog.problems())
                .filteredOn(p -> p.folder().equals("MSFT"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("no model.json"));
        assertThat(catalog.models())
                .extracting(ModelVersion::folder)
                .containsExactly("AAPL", "MSFT", "default");
    }

    @Test
    void refusesAnInputShapeThatModelJsonDoesNotDescribe() throws Exception {
        writeTiny("default", "1");
        TestModels.write(root.resolve("AAPL"), TestModels.resource("wrong-input"), spec -> {});
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        assertThat(registry.refresh().problems())
                .singleElement()
                .satisfies(
                        problem -> {
                            assertThat(problem.folder()).isEqualTo("AAPL");
                            assertThat(problem.message())
                                    .contains(root.resolve("AAPL").toString())
                                    .contains("input 'window' has shape [batch, 5, 2]");
                        });
        assertThat(registry.folderFor("AAPL")).isEqualTo("default");
    }

    @Test
    void refusesAnOutputWidthThatModelJsonDoesNotDescribe() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1", spec -> ((ArrayNode) spec.at("/output/horizon_steps")).remove(0));
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        assertThat(registry.refresh().problems())
                .singleElement()
                .satisfies(
                        problem ->
                                assertThat(problem.message())
                                        .contains(
                                                "output 'log_returns' has shape [batch, 14],"
                                                        + " model.json says [batch, 13]"));
        assertThat(registry.folderFor("AAPL")).isEqualTo("default");
    }

    @Test
    void refusesASymbolsModelMadeForAnotherCalendar() throws Exception {
        writeTiny("default", "1");
        writeTiny("X_BTCUSD", "1", spec -> spec.putArray("calendars").add("XNYS"));
        writeTiny("AAPL", "1", spec -> spec.putArray("calendars").add("24x7"));
        writeTiny("MSFT", "1", spec -> spec.putArray("calendars").add("XNYS"));
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        List<ModelProblem> problems = registry.refresh().problems();

        assertThat(problems)
                .extracting(ModelProblem::folder)
                .containsExactlyInAnyOrder("X_BTCUSD", "AAPL");
        assertThat(problems)
                .filteredOn(p -> p.folder().equals("X_BTCUSD"))
                .singleElement()
                .satisfies(
                        p ->
                                assertThat(p.message())
                                        .contains(
                                                "calendars [XNYS] does not include 24x7, the"
                                                        + " calendar of X:BTCUSD"));
        assertThat(registry.folderFor("X:BTCUSD")).isEqualTo("default");
        assertThat(registry.folderFor("MSFT")).isEqualTo("MSFT");
    }

    @Test
    void refusesChangedFilesThatKeepTheirVersion() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));
        String served = registry.catalog().model("AAPL").orElseThrow().fingerprint();

        writeTiny("AAPL", "1", spec -> spec.putObject("training").put("retrained", true));
        ModelCatalog refused = registry.refresh();

        assertThat(refused.problems())
                .singleElement()
                .satisfies(
                        problem ->
                                assertThat(problem.message())
                                        .contains("version 1 was served with fingerprint " + served)
                                        .contains("a changed model needs a new version"));
        assertThat(refused.model("AAPL").orElseThrow().fingerprint()).isEqualTo(served);

        writeTiny("AAPL", "2", spec -> spec.putObject("training").put("retrained", true));

        assertThat(registry.refresh().model("AAPL").orElseThrow().version()).isEqualTo("2");
    }

    @Test
    void aLeaseOnTheOldVersionOutlivesTheSwapAndTheGrace() throws Exception {
        Duration grace = Duration.ofMillis(500);
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()).withRetireGrace(grace));
        ModelRegistry.Lease old = registry.current("AAPL");
        OnnxModel v1 = old.model();

        writeTiny("AAPL", "2");
        registry.refresh();

        assertThat(registry.catalog().model("AAPL").orElseThrow().version()).isEqualTo("2");
        try (ModelRegistry.Lease queued = registry.lease("AAPL", "1")) {
            assertThat(queued.model()).isSameAs(v1);
        }
        await().during(grace.multipliedBy(3))
                .atMost(grace.multipliedBy(10))
                .until(() -> !v1.isClosed());
        assertThat(predict(old.model())).hasSize(14);
        assertThatThrownBy(() -> registry.lease("AAPL", "1"))
                .isInstanceOf(ModelUnavailableException.class);

        old.close();

        await().atMost(Duration.ofSeconds(10)).until(v1::isClosed);
        try (ModelRegistry.Lease now = registry.current("AAPL")) {
            assertThat(now.version().version()).isEqualTo("2");
            assertThat(now.model().isClosed()).isFalse();
        }
    }

    @Test
    void aRetiredModelWithoutLeasesClosesOnceItsGraceHasPassed() throws Exception {
        Duration grace = Duration.ofMillis(1500);
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()).withRetireGrace(grace));
        OnnxModel v1;
        try (ModelRegistry.Lease lease = registry.current("AAPL")) {
            v1 = lease.model();
        }

        writeTiny("AAPL", "2");
        long swapped = System.nanoTime();
        registry.refresh();

        try (ModelRegistry.Lease queued = registry.lease("AAPL", "1")) {
            assertThat(queued.model()).isSameAs(v1);
            assertThat(predict(queued.model())).hasSize(14);
        }
        await().atMost(Duration.ofSeconds(20)).until(v1::isClosed);
        assertThat(Duration.ofNanos(System.nanoTime() - swapped)).isGreaterThanOrEqualTo(grace);
    }

    @Test
    void readersDuringASwapNeverFailAndSeeTheVersionChangeOnce() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        ModelRegistry registry =
                acquire(ModelLocation.at(root.toString()).withRetireGrace(Duration.ZERO));
        int threads = 4;
        List<List<String>> seen = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> versions = Collections.synchronizedList(new ArrayList<>());
            seen.add(versions);
            Thread reader =
                    new Thread(
                            () -> {
                                while (!stop.get()) {
                                    try (ModelRegistry.Lease lease = registry.current("AAPL")) {
                                        predict(lease.model());
                                        versions.add(lease.version().version());
                                    } catch (Throwable e) {
                                        errors.add(e);
                                        return;
                                    }
                                }
                            });
            reader.start();
            readers.add(reader);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> seen.stream().allMatch(v -> v.size() >= 20) || !errors.isEmpty());

        writeTiny("AAPL", "2");
        registry.refresh();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> seen.stream().allMatch(v -> count(v, "2") >= 20) || !errors.isEmpty());
        stop.set(true);
        for (Thread reader : readers) {
            reader.join();
        }

        assertThat(errors).isEmpty();
        for (List<String> versions : seen) {
            int switched = versions.indexOf("2");
            assertThat(versions.subList(0, switched)).isNotEmpty().containsOnly("1");
            assertThat(versions.subList(switched, versions.size())).containsOnly("2");
        }
    }

    @Test
    void anUnknownVersionIsLookedForOnceBeforeTheLeaseFails() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        writeTiny("AAPL", "2");
        writeTiny("MSFT", "1", spec -> spec.put("interval", "PT5M"));
        try (ModelRegistry.Lease lease = registry.lease("AAPL", "2")) {
            assertThat(lease.version().version()).isEqualTo("2");
        }

        assertThatThrownBy(() -> registry.lease("AAPL", "9"))
                .isInstanceOfSatisfying(
                        ModelUnavailableException.class,
                        e -> {
                            assertThat(e.folder()).isEqualTo("AAPL");
                            assertThat(e.wantedVersion()).isEqualTo("9");
                            assertThat(e.currentVersion()).isEqualTo("2");
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            "model folder AAPL cannot lease version 9: it serves"
                                                    + " version 2, and 9 is not one it retired"
                                                    + " within the grace");
                        });
        assertThatThrownBy(() -> registry.lease("TSLA", "1"))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("the folder serves no model");
        // what the lease's scan found is handed out by the next refresh
        assertThat(registry.refresh().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("interval is PT5M"));
    }

    @Test
    void aFolderThatDisappearsFallsBackToDefaultButDefaultStays() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "a1");
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        deleteFolder(root.resolve("AAPL"));
        registry.refresh();

        assertThat(registry.folderFor("AAPL")).isEqualTo("default");
        try (ModelRegistry.Lease queued = registry.lease("AAPL", "a1")) {
            assertThat(predict(queued.model())).hasSize(14);
        }

        deleteFolder(root.resolve("default"));
        ModelCatalog catalog = registry.refresh();

        assertThat(catalog.problems())
                .singleElement()
                .satisfies(
                        p -> assertThat(p.message()).contains("default model cannot be dropped"));
        assertThat(catalog.models()).extracting(ModelVersion::folder).containsExactly("default");
        assertThat(registry.refresh().problems()).isEmpty();
        try (ModelRegistry.Lease lease = registry.current("AAPL")) {
            assertThat(predict(lease.model())).hasSize(14);
        }
    }

    @Test
    void aQuantileModelServesEveryStepsQuantiles() throws Exception {
        TestModels.write(root.resolve("default"), TestModels.resource("quantile"), spec -> {});
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        try (ModelRegistry.Lease lease = registry.current("AAPL")) {
            float[] row = predict(lease.model());

            assertThat(row).hasSize(2 * 3);
            for (int step = 0; step < 2; step++) {
                assertThat(row[step * 3]).isLessThan(row[step * 3 + 1]);
                assertThat(row[step * 3 + 1]).isLessThan(row[step * 3 + 2]);
            }
            assertThat(lease.version().spec().output().medianIndex()).isEqualTo(1);
        }
    }

    @Test
    void aBrokenDefaultStopsTheFirstAcquireWithTheReason() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        Files.write(root.resolve("default/model.onnx"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> ModelRegistry.acquire(ModelLocation.at(root.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no usable default model at " + root)
                .hasMessageContaining(root.resolve("default").toString())
                .hasMessageContaining("ONNX Runtime cannot load model.onnx");

        deleteFolder(root.resolve("default"));

        assertThatThrownBy(() -> ModelRegistry.acquire(ModelLocation.at(root.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no folder " + root.resolve("default"));
    }

    @Test
    void aFolderHoldingModelJsonServesItsModelForEverySymbol() throws Exception {
        TestModels.write(root, tiny, spec -> spec.put("version", "1"));
        ModelRegistry registry = acquire(ModelLocation.at(root.toString()));

        assertThat(registry.folderFor("AAPL")).isEqualTo("default");
        assertThat(registry.folderFor("X:BTCUSD")).isEqualTo("default");
        assertThat(registry.catalog().models())
                .singleElement()
                .satisfies(m -> assertThat(m.version()).isEqualTo("1"));

        TestModels.write(root, tiny, spec -> spec.put("version", "2"));

        assertThat(registry.refresh().models())
                .singleElement()
                .satisfies(m -> assertThat(m.version()).isEqualTo("2"));
    }

    @Test
    void withoutAFolderTheBundledDefaultServes() throws Exception {
        ModelBundle bundled = ModelBundle.loadResource(ModelLocation.BUNDLED);
        ModelRegistry registry = acquire(ModelLocation.bundled());
        ModelRegistry missing = acquire(ModelLocation.at(root.resolve("absent").toString()));

        for (ModelRegistry r : List.of(registry, missing)) {
            ModelCatalog catalog = r.refresh();
            assertThat(catalog.problems()).isEmpty();
            assertThat(catalog.models())
                    .singleElement()
                    .satisfies(
                            m -> {
                                assertThat(m.folder()).isEqualTo("default");
                                assertThat(m.fingerprint()).isEqualTo(bundled.fingerprint());
                                assertThat(m.specJson()).isEqualTo(bundled.specJson());
                            });
            try (ModelRegistry.Lease lease = r.current("X:BTCUSD")) {
                assertThat(predict(lease.model())).hasSize(14);
            }
        }
    }

    @Test
    void oneRegistryPerLocationClosedByTheLastReleaseOnceItsLeasesClose() throws Exception {
        writeTiny("default", "1");
        writeTiny("AAPL", "1");
        ModelRegistry first = ModelRegistry.acquire(ModelLocation.at(root.toString()));
        ModelRegistry second = ModelRegistry.acquire(ModelLocation.at(root + "/./"));
        assertThat(second).isSameAs(first);
        ModelRegistry.Lease lease = first.current("AAPL");
        OnnxModel aapl = lease.model();
        OnnxModel fallback;
        try (ModelRegistry.Lease other = first.current("MSFT")) {
            fallback = other.model();
        }

        first.release();
        try (ModelRegistry.Lease stillServed = second.current("MSFT")) {
            assertThat(stillServed.model()).isSameAs(fallback);
        }
        second.release();

        assertThat(fallback.isClosed()).isTrue();
        assertThat(aapl.isClosed()).isFalse();
        assertThat(predict(lease.model())).hasSize(14);
        assertThatThrownBy(() -> first.current("AAPL")).isInstanceOf(IllegalStateException.class);
        lease.close();
        assertThat(aapl.isClosed()).isTrue();
        ModelRegistry again = acquire(ModelLocation.at(root.toString()));
        assertThat(again).isNotSameAs(first);
    }

    private ModelRegistry acquire(ModelLocation location) {
        ModelRegistry registry = ModelRegistry.acquire(location);
        acquired.add(registry);
        return registry;
    }

    private void writeTiny(String folder, String version) throws IOException {
        writeTiny(folder, version, spec -> {});
    }

    private void writeTiny(String folder, String version, Consumer<ObjectNode> edit)
            throws IOException {
        TestModels.write(
                root.resolve(folder),
                tiny,
                spec -> {
                    spec.put("version", version);
                    edit.accept(spec);
                });
    }

    private static float[] predict(OnnxModel model) throws Exception {
        return model.predict(TestModels.zeroWindows(1, model.windowSize()), 1)[0];
    }

    private static long count(List<String> versions, String version) {
        synchronized (versions) {
            return versions.stream().filter(version::equals).count();
        }
    }

    private static void deleteFolder(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
