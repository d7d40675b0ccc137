package io.barcast.jobs;

import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.Validation;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the pipeline's results go: the job attaches PostgreSQL and Kafka, tests what they like. */
public interface PipelineSinks {

    /** The bars the forecasts were made from (new and revised). */
    void bars(DataStream<Bar> bars);

    void predictions(DataStream<Prediction> predictions);

    void deadLetters(DataStream<DeadLetter> deadLetters);

    /** Trade recommendations: new ones, and superseded ones again with their new status. */
    void recommendations(DataStream<Recommendation> recommendations);

    void alerts(DataStream<Alert> alerts);

    /** Forecast points checked against the actual bars. */
    void validations(DataStream<Validation> validations);
}
