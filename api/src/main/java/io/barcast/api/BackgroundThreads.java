package io.barcast.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's own threads (readers, senders, writers, cleaners): named so a thread dump says whose
 * they are, and daemons, so none keeps a stopping JVM alive.
 */
public final class BackgroundThreads {

    private BackgroundThreads() {}

    /** Threads named {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A started thread of its own. */
    public static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Runs {@code task} every {@code period} (from the end of one run to the start of the next),
     * first after one period, until the returned executor is shut down.
     */
    public static ScheduledExecutorService every(Duration period, String name, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(named(name));
        executor.scheduleWithFixedDelay(
                task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return executor;
    }
}
