package io.barcast.functions.models;

import io.barcast.core.Alert;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the problems of a model scan into alerts: a refused model folder is a warning (its old
 * version keeps serving), and the alert id is the folder's broken files, so it is stored once.
 */
public class ModelProblemAlerts implements FlatMapFunction<ModelCatalog, Alert> {

    public static final String CATEGORY = Alert.MODEL;

    @Override
    public void flatMap(ModelCatalog catalog, Collector<Alert> out) {
        long now = System.currentTimeMillis();
        for (ModelProblem problem : catalog.problems()) {
            String serving =
                    catalog.model(problem.folder())
                            .map(m -> "; version " + m.version() + " keeps serving")
                            .orElse("");
            out.collect(
                    Alert.of(
                            Alert.WARNING,
                            CATEGORY,
                            problem.folder(),
                            "model folder "
                                    + problem.folder()
                                    + " refused: "
                                    + problem.message()
                                    + serving,
                            problem.fingerprint(),
                            now));
        }
    }
}
