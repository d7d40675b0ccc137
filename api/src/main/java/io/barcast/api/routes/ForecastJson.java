package io.barcast.api.routes;

import io.barcast.core.Prediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A forecast made in this process, in the shape the API gives every full forecast. */
final class ForecastJson {

    private ForecastJson() {}

    static Map<String, Object> of(Prediction p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("prediction_id", p.id());
        json.put("symbol", p.symbol());
        json.put("as_of", Instant.ofEpochMilli(p.asOf()));
        json.put("reason", p.reason());
        json.put("model_folder", p.modelFolder());
        json.put("model_name", p.modelName());
        json.put("model_version", p.modelVersion());
        json.put("last_close", p.lastClose());
        int last = p.times().length - 1;
        json.put("horizon_end", Instant.ofEpochMilli(p.times()[last]));
        json.put("final_price", p.prices()[last]);
        json.put("expected_return_percent", 100 * (p.prices()[last] / p.lastClose() - 1));
        json.put("confidence", p.confidence());
        json.put("confidence_level", p.confidenceLevel());
        json.put("predicted_at", Instant.ofEpochMilli(p.predictedAt()));
        List<Map<String, Object>> path = new ArrayList<>(p.times().length);
        for (int i = 0; i <= last; i++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("time", Instant.ofEpochMilli(p.times()[i]));
            point.put("price", p.prices()[i]);
            point.put("lower", p.lower() == null ? null : p.lower()[i]);
            point.put("upper", p.upper() == null ? null : p.upper()[i]);
            path.add(point);
        }
        json.put("path", path);
        Map<String, Object> band = new LinkedHashMap<>();
        band.put("method", p.bandMethod());
        band.put("coverage", p.bandCoverage());
        json.put("band", band);
        Map<String, Object> confidence = new LinkedHashMap<>();
        confidence.put("value", p.confidence());
        confidence.put("level", p.confidenceLevel());
        confidence.put("decay", p.confidenceDecay());
        confidence.put("factors", p.confidenceFactorsByName());
        json.put("confidence_detail", confidence);
        json.put("batch_size", p.batchSize());
        json.put("inference_micros", p.inferenceMicros());
        json.put("received_at", Instant.ofEpochMilli(p.receivedAt()));
        return json;
    }
}
