package io.barcast.functions.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Alert;
import io.barcast.core.DeadLetter;
import io.barcast.core.InferenceResult;
import io.barcast.core.json.Json;
import io.barcast.functions.DeadLetters;
import java.time.Instant;
import java.util.Map;

/**
 * Reports an inference that failed: a dead letter on {@link DeadLetters#TAG} that says what was
 * asked and why it failed, and a warning on {@link PredictionTracker#ALERTS}. Keeps no state.
 */
final class FailedInferences {

    private final ObjectMapper mapper = Json.newMapper();

    void report(InferenceResult result, Emitter out) throws JsonProcessingException {
        out.emit(DeadLetters.TAG, deadLetter(result));
        out.emit(
                PredictionTracker.ALERTS,
                Alert.of(
                        Alert.WARNING,
                        Alert.INFERENCE,
                        result.symbol(),
                        "inference failed for the bar at "
                                + Instant.ofEpochMilli(result.asOf())
                                + " (model "
                                + result.model().folder()
                                + " "
                                + result.model().version()
                                + "): "
                                + result.failure(),
                        Long.toString(result.asOf()),
                        result.asOf()));
    }

    private DeadLetter deadLetter(InferenceResult result) throws JsonProcessingException {
        return DeadLetter.of(
                result.symbol(),
                "inference",
                result.failure(),
                result.asOf(),
                mapper.writeValueAsString(
                        Map.of(
                                "symbol", result.symbol(),
                                "asOf", result.asOf(),
                                "reason", result.reason(),
                                "modelFolder", result.model().folder(),
                                "modelVersion", result.model().version())));
    }
}
