package io.barcast.connectors.source;

import java.util.concurrent.ThreadFactory;

/** Threads for the sources' own timers and I/O: named, and never keeping a JVM alive. */
public final class DaemonThreads {

    private DaemonThreads() {}

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
