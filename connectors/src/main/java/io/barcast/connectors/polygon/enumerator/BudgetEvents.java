package io.barcast.connectors.polygon.enumerator;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * What readers and the enumerator say to each other about the job's request budget. Grants are not
 * tied to a request: a reader uses each grant for its oldest request still waiting.
 */
public final class BudgetEvents {

    private BudgetEvents() {}

    /** A reader wants to send one request. */
    public record PermitRequest() implements SourceEvent {}

    /** The reader may send one request now. */
    public record PermitGranted() implements SourceEvent {}

    /** Polygon answered 429: no reader may send for {@code waitMillis}. */
    public record RateLimited(long waitMillis) implements SourceEvent {}
}
