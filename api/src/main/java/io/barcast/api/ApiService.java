package io.barcast.api;

/**
 * Work the API does in the background besides answering requests (reading topics, delivering
 * webhooks, writing exports). {@link ApiServer} starts each after it listens and closes them in
 * reverse order when it stops.
 */
public interface ApiService extends AutoCloseable {

    void start();

    /** Stops its threads and releases what it holds; never throws a checked exception. */
    @Override
    void close();
}
