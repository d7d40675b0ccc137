package io.barcast.connectors.polygon;

import io.barcast.core.IncomingBar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Collects what a job in this JVM's MiniCluster writes, exactly once: records become visible only
 * when the checkpoint they belong to completes, so what a failover replays is not seen twice.
 */
final class CommittingCollectSink implements Sink<IncomingBar>, SupportsCommitter<String> {

    private static final Map<String, List<IncomingBar>> STAGED = new ConcurrentHashMap<>();
    private static final Queue<IncomingBar> COMMITTED = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger COMMITS = new AtomicInteger();

    static List<IncomingBar> committed() {
        return List.copyOf(COMMITTED);
    }

    /** Checkpoints whose records have been committed. */
    static int commits() {
        return COMMITS.get();
    }

    static void reset() {
        STAGED.clear();
        COMMITTED.clear();
        COMMITS.set(0);
    }

    @Override
    public SinkWriter<IncomingBar> createWriter(WriterInitContext context) {
        return new CommittingSinkWriter<IncomingBar, String>() {
            private List<IncomingBar> pending = new ArrayList<>();

            @Override
            public void write(IncomingBar element, Context context) {
                pending.add(element);
            }

            @Override
            public Collection<String> prepareCommit() {
                String id = UUID.randomUUID().toString();
                STAGED.put(id, pending);
                pending = new ArrayList<>();
                return List.of(id);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    @Override
    public Committer<String> createCommitter(CommitterInitContext context) {
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<String>> requests) {
                for (CommitRequest<String> request : requests) {
                    List<IncomingBar> records = STAGED.remove(request.getCommittable());
                    if (records != null) {
                        COMMITTED.addAll(records);
                    }
                }
                COMMITS.incrementAndGet();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public SimpleVersionedSerializer<String> getCommittableSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(String id) {
                return id.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String deserialize(int version, byte[] serialized) {
                return new String(serialized, StandardCharsets.UTF_8);
            }
        };
    }
}
