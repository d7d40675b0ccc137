package io.barcast.connectors.source;

import io.barcast.core.IncomingBar;
import org.apache.flink.api.connector.source.SourceSplit;

/** Reads one split's bars in time order and can describe how far it got as a split. */
public interface BarCursor<SplitT extends SourceSplit> extends AutoCloseable {

    /** Whether another bar is there now. */
    boolean hasNext();

    /** Start time of the next bar (epoch ms); only valid when {@link #hasNext()}. */
    long peekTime();

    IncomingBar next();

    /** The split as it stands: restoring it continues right after the last bar returned. */
    SplitT snapshot();

    /** Lets go of what the cursor holds open (files); the reader calls it when it closes. */
    @Override
    default void close() {}
}
