package io.barcast.api.export;

import io.barcast.api.auth.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how exports are written.
 *
 * @param dir the folder the files go to; instances behind one load balancer share it
 * @param workers exports written at once per instance
 * @param expireAfter how long a finished export can be downloaded before it is deleted
 * @param limits per tier: the most rows one export may hold and the most exports a key may have
 *     queued or running at once
 */
public record ExportSettings(
        Path dir, int workers, Duration expireAfter, Map<Tier, ExportLimits> limits) {

    /** The limits of the tiers when no option sets them. */
    public static final Map<Tier, ExportLimits> DEFAULT_LIMITS =
            Map.of(
                    Tier.DEFAULT, new ExportLimits(1_000_000, 2),
                    Tier.PREMIUM, new ExportLimits(10_000_000, 5),
                    Tier.ADMIN, new ExportLimits(ExportLimits.UNLIMITED_ROWS, 20));

    public ExportSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(expireAfter, "expireAfter");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (expireAfter.isNegative() || expireAfter.isZero()) {
            throw new IllegalArgumentException("expireAfter must be positive");
        }
        Map<Tier, ExportLimits> copy = new EnumMap<>(Tier.class);
        copy.putAll(DEFAULT_LIMITS);
        copy.putAll(limits);
        limits = Map.copyOf(copy);
    }

    public ExportSettings(Path dir, int workers, Duration expireAfter) {
        this(dir, workers, expireAfter, DEFAULT_LIMITS);
    }

    public static ExportSettings defaults() {
        return new ExportSettings(
                Path.of(System.getProperty("java.io.tmpdir"), "barcast-exports"),
                2,
                Duration.ofHours(24),
                DEFAULT_LIMITS);
    }

    /** The limits of a caller of {@code tier}. */
    public ExportLimits limitsOf(Tier tier) {
        return limits.getOrDefault(tier, limits.get(Tier.DEFAULT));
    }

    public ExportSettings withDir(Path newDir) {
        return new ExportSettings(newDir, workers, expireAfter, limits);
    }

    public ExportSettings withExpireAfter(Duration age) {
        return new ExportSettings(dir, workers, age, limits);
    }

    public ExportSettings withLimits(Map<Tier, ExportLimits> newLimits) {
        return new ExportSettings(dir, workers, expireAfter, newLimits);
    }

    /**
     * What one tier may export.
     *
     * @param maxRows the most rows one export may hold ({@link #UNLIMITED_ROWS}: no cap)
     * @param maxActive the most exports one key may have queued or running at once
     */
    public record ExportLimits(long maxRows, int maxActive) {

        public static final long UNLIMITED_ROWS = Long.MAX_VALUE;

        public ExportLimits {
            if (maxRows < 1) {
                throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
            }
            if (maxActive < 1) {
                throw new IllegalArgumentException(
                        "maxActive must be at least 1, got " + maxActive);
            }
        }
    }
}
