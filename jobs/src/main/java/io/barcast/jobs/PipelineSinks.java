package io.barcast.jobs;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Prediction;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the pipeline's results go: the job attaches PostgreSQL and Kafka, tests what they like. */
public interface PipelineSinks {

    /** The bars the forecasts were made from (new and revised). */
    void bars(DataStream<Bar> bars);

    void predictions(DataStream<Prediction> predictions);

    void deadLetters(DataStream<DeadLetter> deadLetters);
}
