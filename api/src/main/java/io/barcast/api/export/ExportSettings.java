package io.barcast.api.export;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how exports are written.
 *
 * @param dir the folder the files go to; instances behind one load balancer share it
 * @param workers exports written at once per instance
 * @param expireAfter how long a finished export can be downloaded before it is deleted
 */
public record ExportSettings(Path dir, int workers, Duration expireAfter) {

    public static ExportSettings defaults() {
        return new ExportSettings(
                Path.of(System.getProperty("java.io.tmpdir"), "barcast-exports"),
                2,
                Duration.ofHours(24));
    }
}
