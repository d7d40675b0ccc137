package io.barcast.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.barcast.api.push.EventKind;
import io.barcast.core.Alert;
import io.barcast.core.ForecastReason;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What one enabled webhook wants: the kinds of events, and the filters on them. {@link #typeOf}
 * decides for one of the job's records whether it goes to this webhook and under which type.
 *
 * @param symbols empty: every symbol
 * @param minConfidence null: no threshold
 * @param minSeverity null: every alert
 */
public record WebhookFilter(
        UUID webhookId,
        Set<EventKind> kinds,
        Set<String> symbols,
        Double minConfidence,
        String minSeverity) {

    /**
     * The event type of {@code record} read from the topic of {@code kind} for this webhook, or
     * null when it does not want it. A forecast made by a new model version ({@code reason:
     * model_update}) is a {@code model_update} for a webhook that asked for those, else a {@code
     * prediction}: never both, so one record is one delivery.
     */
    public EventKind typeOf(EventKind kind, JsonNode record) {
        EventKind type = kind;
        if (kind == EventKind.PREDICTION || kind == EventKind.MODEL_UPDATE) {
            boolean update =
                    ForecastReason.MODEL_UPDATE.label().equals(record.path("reason").asText());
            if (update && kinds.contains(EventKind.MODEL_UPDATE)) {
                type = EventKind.MODEL_UPDATE;
            } else if (kinds.contains(EventKind.PREDICTION)) {
                type = EventKind.PREDICTION;
            } else {
                return null;
            }
        } else if (!kinds.contains(kind)) {
            return null;
        }
        if (!symbols.isEmpty() && !symbols.contains(record.path("symbol").asText())) {
            return null;
        }
        if (minConfidence != null
                && (type == EventKind.PREDICTION
                        || type == EventKind.MODEL_UPDATE
                        || type == EventKind.RECOMMENDATION)) {
            JsonNode confidence = record.get("confidence");
            if (confidence == null
                    || !confidence.isNumber()
                    || confidence.doubleValue() < minConfidence) {
                return null;
            }
        }
        if (minSeverity != null && type == EventKind.ALERT) {
            if (rank(record.path("severity").asText()) < rank(minSeverity)) {
                return null;
            }
        }
        return type;
    }

    /** 0 for info, 1 warning, 2 critical; -1 for anything else. */
    static int rank(String severity) {
        return List.of(Alert.INFO, Alert.WARNING, Alert.CRITICAL).indexOf(severity);
    }
}
