package io.barcast.connectors.polygon;

import io.barcast.core.IncomingBar;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Collects what a job in this JVM's MiniCluster writes, by name. Chained to the source, it holds
 * exactly what the source emitted before a stop-with-savepoint.
 */
final class CollectingSink implements Sink<IncomingBar> {

    private static final Map<String, Queue<IncomingBar>> RESULTS = new ConcurrentHashMap<>();

    private final String name;

    CollectingSink(String name) {
        this.name = name;
        RESULTS.putIfAbsent(name, new ConcurrentLinkedQueue<>());
    }

    static List<IncomingBar> results(String name) {
        return List.copyOf(RESULTS.getOrDefault(name, new ConcurrentLinkedQueue<>()));
    }

    static void reset(String name) {
        RESULTS.put(name, new ConcurrentLinkedQueue<>());
    }

    @Override
    public SinkWriter<IncomingBar> createWriter(WriterInitContext context) {
        Queue<IncomingBar> results = RESULTS.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(IncomingBar element, Context context) {
                results.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
