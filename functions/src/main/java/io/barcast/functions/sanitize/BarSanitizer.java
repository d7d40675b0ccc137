package io.barcast.functions.sanitize;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.Json;
import io.barcast.functions.DeadLetters;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets through only bars a model can use.
 *
 * <ul>
 *   <li>Input: whatever the sources read, parsed or not.
 *   <li>Output: valid bars; everything else on {@link DeadLetters#TAG} with the reason.
 *   <li>State and timers: none (duplicates need per-symbol state and are caught by the symbol
 *       window).
 * </ul>
 */
public class BarSanitizer extends ProcessFunction<IncomingBar, Bar> {

    /** Bar times outside these are not milliseconds (seconds, micro- or nanoseconds) or junk. */
    private static final long EARLIEST = 0;

    private static final long LATEST =
            java.time.Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private final long intervalMillis;

    private transient ObjectMapper mapper;
    private transient Counter barsIn;
    private transient Counter rejected;

    public BarSanitizer(Duration interval) {
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        mapper = Json.newMapper();
        barsIn = getRuntimeContext().getMetricGroup().counter("barsIn");
        rejected = getRuntimeContext().getMetricGroup().counter("barsRejected");
    }

    @Override
    public void processElement(IncomingBar incoming, Context context, Collector<Bar> out)
            throws Exception {
        barsIn.inc();
        if (!incoming.isParsed()) {
            rejected.inc();
            context.output(
                    DeadLetters.TAG,
                    DeadLetter.of(
                            null,
                            "parse",
                            incoming.problem() + " (" + incoming.origin() + ")",
                            0,
                            incoming.payload()));
            return;
        }
        Bar bar = incoming.bar();
        String problem = problemOf(bar, intervalMillis);
        if (problem == null) {
            out.collect(bar);
        } else {
            rejected.inc();
            context.output(
                    DeadLetters.TAG,
                    DeadLetter.of(
                            bar.symbol(),
                            "sanitize",
                            problem,
                            bar.time(),
                            mapper.writeValueAsString(bar)));
        }
    }

    /** Why a bar cannot be used, or null when it can. */
    public static String problemOf(Bar bar, long intervalMillis) {
        if (bar.symbol() == null || bar.symbol().isBlank()) {
            return "no symbol";
        }
        double[] prices = {bar.open(), bar.high(), bar.low(), bar.close()};
        String[] names = {"open", "high", "low", "close"};
        for (int i = 0; i < prices.length; i++) {
            if (!Double.isFinite(prices[i])) {
                return names[i] + " price is not finite: " + prices[i];
            }
            if (prices[i] <= 0) {
                return names[i] + " price is not positive: " + prices[i];
            }
        }
        if (bar.high() < Math.max(bar.open(), bar.close())) {
            return "high " + bar.high() + " is below max(open, close)";
        }
        if (bar.low() > Math.min(bar.open(), bar.close())) {
            return "low " + bar.low() + " is above min(open, close)";
        }
        if (!Double.isFinite(bar.volume()) || bar.volume() < 0) {
            return "volume is negative or not finite: " + bar.volume();
        }
        if (bar.time() < EARLIEST || bar.time() >= LATEST) {
            return "time "
                    + bar.time()
                    + " is not a bar start in epoch milliseconds between 1970 and 2100";
        }
        if (Math.floorMod(bar.time(), intervalMillis) != 0) {
            return "time "
                    + java.time.Instant.ofEpochMilli(bar.time())
                    + " is not on the "
                    + Duration.ofMillis(intervalMillis).toMinutes()
                    + "-minute bar grid";
        }
        return null;
    }
}
