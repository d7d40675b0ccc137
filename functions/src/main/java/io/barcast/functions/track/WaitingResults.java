package io.barcast.functions.track;

import io.barcast.core.InferenceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.TimerService;

/**
 * The inference results that reached the tracker before their own bar: each waits here until that
 * bar has arrived, so it is built from the bars up to its as-of time, and leaves oldest first.
 *
 * <p>State: the list {@code results-waiting-for-their-bar}. Timers: one {@code ttl} after a held
 * result's bar, so a symbol whose bar never comes is still cleared.
 */
final class WaitingResults {

    private final ListState<InferenceResult> waiting;
    private final long ttlMillis;

    WaitingResults(RuntimeContext context, Duration ttl) {
        this.waiting = context.getListState(waitingDescriptor());
        this.ttlMillis = ttl.toMillis();
    }

    static ListStateDescriptor<InferenceResult> waitingDescriptor() {
        return new ListStateDescriptor<>("results-waiting-for-their-bar", InferenceResult.class);
    }

    /** Keeps a result whose bar is still on the way on the other input. */
    void hold(InferenceResult result, TimerService timers) throws Exception {
        waiting.add(result);
        timers.registerEventTimeTimer(result.asOf() + ttlMillis);
    }

    /** Takes out the results whose bar is at or before {@code newestBar}, oldest first. */
    List<InferenceResult> release(long newestBar) throws Exception {
        List<InferenceResult> ready = new ArrayList<>();
        List<InferenceResult> still = new ArrayList<>();
        for (InferenceResult result : waiting.get()) {
            (result.asOf() <= newestBar ? ready : still).add(result);
        }
        if (ready.isEmpty()) {
            return ready;
        }
        waiting.update(still);
        ready.sort(Comparator.comparingLong(InferenceResult::asOf));
        return ready;
    }

    void clear() {
        waiting.clear();
    }
}
