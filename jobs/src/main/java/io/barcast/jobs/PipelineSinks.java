package io.barcast.jobs;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.TradeOutcome;
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

    /** Rolling accuracy per symbol and horizon bucket. */
    void accuracy(DataStream<Accuracy> accuracy);

    /** How each recommended trade turned out. */
    void tradeOutcomes(DataStream<TradeOutcome> outcomes);

    /** Requests to forecast a symbol again; the job reads them back from where they are sent. */
    void repredictions(DataStream<RepredictionRequest> requests);

    /** Requests for a new model where the current one lost its skill. */
    void retrains(DataStream<RetrainRequest> requests);
}
