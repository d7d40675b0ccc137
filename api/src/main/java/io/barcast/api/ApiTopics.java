package io.barcast.api;

/**
 * The job's result topics the API reads to push what it commits: streams fan them out, webhooks
 * deliver them. The names are the job's {@code kafka.topic.*} options.
 */
public record ApiTopics(
        String predictions,
        String recommendations,
        String validations,
        String alerts,
        String tradeOutcomes,
        String retrainRequests) {

    /** The job's default topic names. */
    public static ApiTopics defaults() {
        return new ApiTopics(
                "barcast.predictions",
                "barcast.recommendations",
                "barcast.validations",
                "barcast.alerts",
                "barcast.trade-outcomes",
                "barcast.retrain-requests");
    }
}
