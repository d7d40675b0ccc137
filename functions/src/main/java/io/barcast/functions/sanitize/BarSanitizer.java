package io.barcast.functions.sanitize;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.Json;
import io.barcast.functions.DeadLetters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets through only bars a model can use, by the rules of {@link BarChecks}, with their symbols in
 * one spelling (upper case).
 *
 * <ul>
 *   <li>Input: whatever the sources read, parsed or not.
 *   <li>Output: valid bars; everything else on {@link DeadLetters#TAG} with the reason.
 *   <li>State and timers: none (duplicates need per-symbol state and are caught by the symbol
 *       window).
 * </ul>
 */
public class BarSanitizer extends ProcessFunction<IncomingBar, Bar> {

    private final BarChecks checks;

    private transient ObjectMapper mapper;
    private transient Counter barsIn;
    private transient Counter rejected;

    public BarSanitizer(BarChecks checks) {
        this.checks = checks;
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
        String problem = checks.problemOf(bar);
        if (problem == null) {
            out.collect(checks.normalized(bar));
        } else {
            rejected.inc();
            context.output(
                    DeadLetters.TAG,
                    DeadLetter.of(
                            bar.symbol(),
                            "sanitize",
                            problem + " (" + incoming.origin() + ")",
                            bar.time(),
                            mapper.writeValueAsString(bar)));
        }
    }
}
