package io.barcast.connectors.polygon.enumerator;

import io.barcast.connectors.polygon.split.PolygonSplit;
import io.barcast.connectors.source.StaticSplitEnumerator;
import io.barcast.core.DaemonThreads;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the symbol groups (as {@link StaticSplitEnumerator} does) and keeps the one request
 * budget all readers share: a reader asks for a permit before every request, and permits are
 * granted in the order asked, as the {@link RequestBudget} allows. Everything runs on the
 * coordinator thread; a timer only wakes it when the next permit is due.
 */
public final class PolygonSplitEnumerator
        implements SplitEnumerator<PolygonSplit, List<PolygonSplit>> {

    private static final Logger LOG = LoggerFactory.getLogger(PolygonSplitEnumerator.class);

    private final SplitEnumeratorContext<PolygonSplit> context;
    private final StaticSplitEnumerator<PolygonSplit> assignment;
    private final RequestBudget budget;
    private final ArrayDeque<Integer> waiting = new ArrayDeque<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    DaemonThreads.named("barcast-polygon-budget"));
    private boolean wakeScheduled;

    public PolygonSplitEnumerator(
            SplitEnumeratorContext<PolygonSplit> context,
            List<PolygonSplit> splits,
            int requestsPerMinute) {
        this.context = context;
        this.assignment = new StaticSplitEnumerator<>(context, splits);
        this.budget = new RequestBudget(requestsPerMinute);
    }

    @Override
    public void start() {}

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof BudgetEvents.PermitRequest) {
            waiting.add(subtaskId);
            grantDue();
        } else if (event instanceof BudgetEvents.RateLimited limited) {
            budget.pauseFor(System.currentTimeMillis(), limited.waitMillis());
        }
    }

    /** Grants the permits that are due, then sleeps until the next one is. */
    private void grantDue() {
        while (!wakeScheduled && !waiting.isEmpty()) {
            long wait = budget.tryAcquire(System.currentTimeMillis());
            if (wait > 0) {
                wakeScheduled = true;
                timer.schedule(
                        () ->
                                context.runInCoordinatorThread(
                                        () -> {
                                            wakeScheduled = false;
                                            grantDue();
                                        }),
                        wait,
                        TimeUnit.MILLISECONDS);
                return;
            }
            grant(waiting.poll());
        }
    }

    /**
     * Sends a permit, unless the reader is restarting: then it is dropped (spent) and the restarted
     * reader asks again.
     */
    private void grant(int subtask) {
        if (!context.registeredReaders().containsKey(subtask)) {
            return;
        }
        try {
            context.sendEventToSourceReader(subtask, new BudgetEvents.PermitGranted());
        } catch (RuntimeException notReady) {
            LOG.warn("Polygon reader {} could not take its permit; it will ask again", subtask);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<PolygonSplit> splits, int subtaskId) {
        assignment.addSplitsBack(splits, subtaskId);
    }

    /** A reader (re)starting: requests of its earlier attempt are forgotten. */
    @Override
    public void addReader(int subtaskId) {
        waiting.removeIf(subtask -> subtask == subtaskId);
        assignment.addReader(subtaskId);
    }

    @Override
    public List<PolygonSplit> snapshotState(long checkpointId) {
        return assignment.snapshotState(checkpointId);
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
    }
}
