package io.barcast.api.push;

import io.barcast.api.ApiTopics;
import java.util.Locale;

/**
 * What the API pushes: each kind is one of the job's result topics, read as committed. Streams
 * offer the first four; webhooks all of them. {@link #MODEL_UPDATE} is a forecast whose reason is
 * {@code model_update}: the first forecast of a symbol by a new model version.
 */
public enum EventKind {
    PREDICTION,
    RECOMMENDATION,
    VALIDATION,
    ALERT,
    TRADE_OUTCOME,
    RETRAIN_REQUEST,
    MODEL_UPDATE;

    /** The name clients use: {@code prediction}, {@code trade_outcome}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The topic this kind is read from. */
    public String topic(ApiTopics topics) {
        return switch (this) {
            case PREDICTION, MODEL_UPDATE -> topics.predictions();
            case RECOMMENDATION -> topics.recommendations();
            case VALIDATION -> topics.validations();
            case ALERT -> topics.alerts();
            case TRADE_OUTCOME -> topics.tradeOutcomes();
            case RETRAIN_REQUEST -> topics.retrainRequests();
        };
    }

    /** The kind of a label; an {@link IllegalArgumentException} naming the choices otherwise. */
    public static EventKind of(String label) {
        for (EventKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        StringBuilder choices = new StringBuilder();
        for (EventKind kind : values()) {
            choices.append(choices.isEmpty() ? "" : ", ").append(kind.label());
        }
        throw new IllegalArgumentException(
                "'" + label + "' is not an event kind; one of " + choices);
    }
}
