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
 * after it, as a live feed would. All files form one split so that their bars merge in time order;
 * its checkpoint is the position in that order. Build one with {@link #builder()}.
 */
public final class ReplaySource implements Source<IncomingBar, ReplaySplit, List<ReplaySplit>> {

    private final List<String> files;
    private final double speed;
    private final boolean bounded;

    private ReplaySource(List<String> files, double speed, boolean bounded) {
        this.files = files;
        this.speed = speed;
        this.bounded = bounded;
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
        return new StaticSplitEnumerator<>(context, List.of(new ReplaySplit("replay-0", files, 0)));
    }

    @Override
    public SplitEnumerator<ReplaySplit, List<ReplaySplit>> restoreEnumerator(
            SplitEnumeratorContext<ReplaySplit> context, List<ReplaySplit> checkpoint) {
        return new StaticSplitEnumerator<>(context, checkpoint);
    }

    @Override
    public SourceReader<IncomingBar, ReplaySplit> createReader(SourceReaderContext context) {
        return new PacedBarReader<>(ReplayCursor::new, speed, bounded);
    }

    @Override
    public SimpleVersionedSerializer<ReplaySplit> getSplitSerializer() {
        return new ReplaySplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<ReplaySplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(new ReplaySplitSerializer());
    }

    /** Builds a {@link ReplaySource}; {@link #build()} checks that the files exist. */
    public static final class Builder {
        private final List<Path> paths = new ArrayList<>();
        private double speed;
        private boolean bounded = true;

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

        public ReplaySource build() {
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("replay: no bar files given");
            }
            if (speed < 0 || Double.isNaN(speed)) {
                throw new IllegalArgumentException("replay: speed must be >= 0, got " + speed);
            }
            List<String> files = new ArrayList<>();
            for (Path path : paths) {
                files.addAll(BarFileReader.expand(path));
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("replay: no bar files in " + paths);
            }
            return new ReplaySource(files, speed, bounded);
        }
    }
}
