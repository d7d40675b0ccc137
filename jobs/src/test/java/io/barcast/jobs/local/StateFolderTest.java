package io.barcast.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFolderTest {

    @TempDir Path dir;

    private Path snapshot(String relative, Instant completed, boolean complete) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(relative));
        if (complete) {
            Path metadata = Files.writeString(folder.resolve("_metadata"), "m");
            Files.setLastModifiedTime(metadata, FileTime.from(completed));
        }
        return folder;
    }

    @Test
    void resumesFromTheNewestCompleteCheckpointOrSavepoint() throws Exception {
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        snapshot("checkpoints/job-a/chk-3", t, true);
        Path savepoint =
                snapshot("savepoints/savepoint-a1b2c3-0123456789ab", t.plusSeconds(60), true);
        // a checkpoint still being written has no _metadata yet
        snapshot("checkpoints/job-b/chk-9", t.plusSeconds(120), false);
        StateFolder state = StateFolder.of(dir.toUri().toString());

        assertThat(state.newest())
                .hasValueSatisfying(
                        s -> {
                            assertThat(s.path()).isEqualTo(savepoint);
                            assertThat(s.kind()).isEqualTo("savepoint");
                        });

        Path newer = snapshot("checkpoints/job-b/chk-10", t.plusSeconds(180), true);
        assertThat(state.newest().orElseThrow().path()).isEqualTo(newer);
        assertThat(state.newest().orElseThrow().kind()).isEqualTo("checkpoint");
    }

    @Test
    void freshDeletesEverySnapshot() throws Exception {
        snapshot("checkpoints/job-a/chk-3", Instant.now(), true);
        snapshot("savepoints/savepoint-x", Instant.now(), true);
        StateFolder state = StateFolder.of(dir.toString());

        state.clear();

        assertThat(state.newest()).isEmpty();
        assertThat(Files.exists(state.checkpoints())).isFalse();
        assertThat(StateFolder.of(dir.resolve("never-used").toString()).newest()).isEmpty();
    }

    @Test
    void onlyLocalFoldersAreSearched() {
        assertThat(StateFolder.isLocal("/var/lib/barcast")).isTrue();
        assertThat(StateFolder.isLocal("file:///var/lib/barcast")).isTrue();
        assertThat(StateFolder.isLocal("s3://bucket/barcast")).isFalse();
    }
}
