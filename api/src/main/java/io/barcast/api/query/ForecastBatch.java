package io.barcast.api.query;

import java.util.List;

/**
 * The answer to a batch request: the latest forecast of each symbol asked for that has one (in the
 * order asked, summaries or in full), and facts about the answer.
 */
public record ForecastBatch(List<?> items, Facts facts) {

    /**
     * @param requested the distinct symbols asked for
     * @param found those with a forecast, one item each
     * @param stale items whose forecast was made longer ago than the API's {@code staleAfter}
     * @param unknown the symbols without any forecast, in the order asked
     * @param tookMs time spent answering, in milliseconds
     */
    public record Facts(int requested, int found, int stale, List<String> unknown, long tookMs) {}
}
