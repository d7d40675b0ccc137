package io.barcast.api.limits;

import io.javalin.http.HandlerType;
import java.util.Map;

/**
 * What a call takes from its key's token bucket: one token, except the calls that do many times the
 * work of a read. The only place these numbers live; the OpenAPI document and the contract repeat
 * them for clients.
 */
public final class RequestCosts {

    /** Every call not named below: one read of the sink tables. */
    public static final int DEFAULT = 1;

    private static final Map<String, Integer> BY_ROUTE =
            Map.of(
                    // up to settings.maxBatchSymbols forecasts in one call: about as much database
                    // work as five single reads, and a reason to batch instead of looping
                    "POST /api/v1/predictions/batch", 5,
                    // runs the model in the API process: CPU the reads do not use, on machines
                    // sized for reads
                    "POST /api/v1/predict", 10);

    private RequestCosts() {}

    /**
     * The tokens a call of the route {@code template} (as declared, e.g. {@code
     * /api/v1/predictions/{symbol}}) with {@code method} takes.
     */
    public static int of(HandlerType method, String template) {
        return BY_ROUTE.getOrDefault(method.name() + " " + template, DEFAULT);
    }
}
