package io.barcast.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * barcast's own background threads (timers, I/O, workers): named so a thread dump says whose they
 * are, and daemons, so none keeps a stopping JVM alive.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Threads all named {@code name}. */
    public static ThreadFactory named(String name) {
        return task -> daemon(task, name);
    }

    /** Threads named {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory numbered(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> daemon(task, name + "-" + count.incrementAndGet());
    }

    /** A started thread of its own. */
    public static Thread start(String name, Runnable task) {
        Thread thread = daemon(task, name);
        thread.start();
        return thread;
    }

    /**
     * Runs {@code task} every {@code period} (from the end of one run to the start of the next),
     * first after one period, on a thread named {@code name-1}, until the returned executor is shut
     * down.
     */
    public static ScheduledExecutorService every(Duration period, String name, Runnable task) {
        ScheduledExecutorService executor =
                Executors.newSingleThreadScheduledExecutor(numbered(name));
        executor.scheduleWithFixedDelay(
                task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return executor;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
