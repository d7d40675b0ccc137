package io.barcast.connectors.replay;

import io.barcast.connectors.source.PacedBarReader;
import io.barcast.connectors.source.SplitListSerializer;
import io.barcast.connectors.source.StaticSplitEnumerator;
import io.barcast.core.IncomingBar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Replays bar files (CSV, JSON lines, saved Polygon aggregates) in event-time order, as fast as
 * possible or paced. Bounded: the job ends after the last bar; unbounded: the source stays open
 * after it, as a live feed would. All files form one split so that their bars merge in time order
 * (ties by symbol, then by position in the input); files are streamed, never held in memory, and
 * the checkpoint holds byte positions in them. Build one with {@link #builder()}.
 */
public final class ReplaySource implements Source<IncomingBar, ReplaySplit, List<ReplaySplit>> {

    private final List<String> files;
    private final double speed;
    private final boolean bounded;
    private final ReadSettings settings;

    private ReplaySource(List<String> files, double speed, boolean bounded, ReadSettings settings) {
        this.files = files;
        this.speed = speed;
        this.bounded = bounded;
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<ReplaySplit, List<ReplaySplit>> createEnumerator(
            SplitEnumeratorContext<ReplaySplit> context) {
        return new StaticSplitEnumerator<>(context, List.of(ReplaySplit.unread("replay-0", files)));
    }

    @Override
    public SplitEnumerator<ReplaySplit, List<ReplaySplit>> restoreEnumerator(
            SplitEnumeratorContext<ReplaySplit> context, List<ReplaySplit> checkpoint) {
        return new StaticSplitEnumerator<>(context, checkpoint);
    }

    @Override
    public SourceReader<IncomingBar, ReplaySplit> createReader(SourceReaderContext context) {
        ReadSettings read = settings;
        return new PacedBarReader<>(split -> new ReplayCursor(split, read), speed, bounded);
    }

    @Override
    public SimpleVersionedSerializer<ReplaySplit> getSplitSerializer() {
        return new ReplaySplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<ReplaySplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(new ReplaySplitSerializer());
    }

    /**
     * Builds a {@link ReplaySource}; {@link #build()} checks the settings and that the files exist.
     */
    public static final class Builder {

        /** Smallest line limit taken: far above any bar's line, so a typo cannot drop them all. */
        public static final int MIN_LINE_BYTES = 256;

        /** Largest line limit taken: a line is held whole while read. */
        public static final int MAX_LINE_BYTES = 256 << 20;

        private final List<Path> paths = new ArrayList<>();
        private double speed;
        private boolean bounded = true;
        private int maxLineBytes = ReadSettings.DEFAULT_MAX_LINE_BYTES;
        private long fromTime = Long.MIN_VALUE;
        private long toTime = Long.MAX_VALUE;

        /** A bar file, or a directory whose bar files are all replayed. */
        public Builder path(Path path) {
            paths.add(path);
            return this;
        }

        /** Market time per wall-clock time; 0 for as fast as possible. */
        public Builder speed(double speed) {
            this.speed = speed;
            return this;
        }

        public Builder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        /**
         * Lines longer than this many bytes are skipped (to their newline, never held whole) and
         * become unparsable records; 1 MiB unless set.
         */
        public Builder maxLineBytes(int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        /**
         * Replays only bars whose time is in {@code [from, to)} (epoch ms); what cannot be parsed
         * has no time and is always replayed.
         */
        public Builder between(long from, long to) {
            this.fromTime = from;
            this.toTime = to;
            return this;
        }

        public ReplaySource build() {
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("replay: no bar files given");
            }
            if (speed < 0 || Double.isNaN(speed)) {
                throw new IllegalArgumentException("replay: speed must be >= 0, got " + speed);
            }
            if (maxLineBytes < MIN_LINE_BYTES || maxLineBytes > MAX_LINE_BYTES) {
                throw new IllegalArgumentException(
                        String.format(
                                "replay.max-line-bytes: must be between %,d and %,d, got %,d",
                                MIN_LINE_BYTES, MAX_LINE_BYTES, maxLineBytes));
            }
            if (toTime <= fromTime) {
                throw new IllegalArgumentException(
                        "replay.to: must be after replay.from, got ["
                                + fromTime
                                + ", "
                                + toTime
                                + ")");
            }
            List<String> files = new ArrayList<>();
            for (Path path : paths) {
                files.addAll(BarFileReader.expand(path));
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("replay: no bar files in " + paths);
            }
            return new ReplaySource(
                    files, speed, bounded, new ReadSettings(maxLineBytes, fromTime, toTime));
        }
    }
}
