package io.barcast.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Accuracy;
import io.barcast.core.Alert;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.ForecastReason;
import io.barcast.core.IncomingBar;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.RepredictionRequest;
import io.barcast.core.RetrainRequest;
import io.barcast.core.TopicMessage;
import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import io.barcast.core.confidence.TrackRecord;
import io.barcast.functions.models.ModelCatalog;
import io.barcast.functions.models.ModelProblem;
import io.barcast.functions.models.ModelVersion;
import io.barcast.functions.monitor.AlertGate;
import io.barcast.functions.monitor.DeadLetterRate;
import io.barcast.functions.track.BarRing;
import io.barcast.functions.track.ForecastHealth;
import io.barcast.functions.track.OpenTrade;
import io.barcast.functions.track.PendingPoints;
import io.barcast.functions.track.RecentForecasts;
import io.barcast.functions.track.ResidualRing;
import io.barcast.functions.window.SymbolHistory;
import io.barcast.functions.window.WindowInput;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every record that crosses an operator or lives in state is a POJO to Flink, never Kryo. */
class RecordTypesTest {

    static List<Object> records() {
        Bar bar = new Bar("AAPL", 900_000, 1, 2, 0.5, 1.5, 10, 1.2, 7L);
        InferenceRequest request =
                new InferenceRequest(
                        "AAPL", 900_000, "new_bar", 1.5, "default", "1", new float[] {1, 2}, 3, 0);
        InferenceResult.ModelFacts facts =
                new InferenceResult.ModelFacts(
                        "default",
                        "m",
                        "1",
                        new int[] {1, 2},
                        new double[] {0.1, 0.5, 0.9},
                        5,
                        new TrackRecord(3, 0.1, 0.2, 0.6));
        SymbolHistory history = SymbolHistory.create(TestModels.tinySpec());
        history.lastBar = bar;
        Recommendation trade =
                new Recommendation(
                        "r",
                        "p",
                        "AAPL",
                        1,
                        "long",
                        1,
                        1.5,
                        2,
                        1.6,
                        1.4,
                        6.6,
                        1.0,
                        0.7,
                        "1",
                        Recommendation.ACTIVE,
                        null,
                        9);
        BarRing ring = BarRing.create(4);
        ring.add(bar);
        PendingPoints points = new PendingPoints();
        points.add(1, 7, 2, 3.0, 0.01, 4.0, "p", 2.9, 3.1);
        ResidualRing residuals = ResidualRing.create(3);
        residuals.settle(0, 7, 900_000, 1.0, 1.1, 1.05, true);
        ForecastHealth health = new ForecastHealth();
        health.modelVersion = "1";
        OpenTrade open = new OpenTrade();
        open.recommendationId = "r";
        open.predictionId = "p";
        open.symbol = "AAPL";
        open.side = "long";
        open.enteredAt = 5;
        open.entryPrice = 10;
        RecentForecasts recent = new RecentForecasts();
        recent.keep(1, 7, new long[] {2}, new double[] {1.6});
        recent.active = new Recommendation[] {trade};
        recent.activeFor = "p";
        return List.of(
                bar,
                Bar.of("X:BTCUSD", 0, 1, 1, 1, 1, 0),
                IncomingBar.parsed("test", bar),
                IncomingBar.unparsable("test", "junk", "not a bar"),
                TopicMessage.text("kafka:t/0@1", "{\"symbol\":\"AAPL\"}"),
                TopicMessage.unreadable("kafka:t/0@2", "", "a tombstone"),
                DeadLetter.of("AAPL", "sanitize", "bad", 1, "{}"),
                request,
                InferenceResult.success(
                        request, facts, new float[] {0.1f, 0.2f}, new float[6], 4, 100),
                InferenceResult.failure(
                        request, InferenceResult.ModelFacts.unknown("default", "1"), "timed out"),
                new Prediction(
                        "id",
                        "AAPL",
                        1,
                        "new_bar",
                        "default",
                        "m",
                        "1",
                        1.5,
                        new long[] {2},
                        new double[] {1.6},
                        new double[] {1.5},
                        new double[] {1.7},
                        "volatility",
                        0.8,
                        0.6,
                        "medium",
                        new double[10],
                        1.0,
                        1,
                        2,
                        3,
                        4),
                trade,
                trade.supersededBy("q"),
                Validation.of("p", "AAPL", 1, 900_001, 1, 100, 101, 102, 99, 103),
                Validation.of("p", "AAPL", 1, 900_001, 2, 100, 101, 100, 99, 103),
                Alert.of(Alert.WARNING, "model", "AAPL", "refused", "f", 1),
                RepredictionRequest.of("AAPL", ForecastReason.MANUAL, "by hand", 0, 5),
                WindowInput.of(bar),
                WindowInput.of(RepredictionRequest.of("AAPL", ForecastReason.MANUAL, "", 0, 5)),
                new AlertGate.GateState(),
                new DeadLetterRate.MinuteCount(),
                new Accuracy("a", "AAPL", 1, "1h", "1", 3, 1, 2, 3, 4, null, 0.5, null),
                new Accuracy("a", "AAPL", 1, "all", "1", 3, 1, 2, 3, 4, 0.6, 0.5, 0.1),
                new RetrainRequest("r", "AAPL", "default", "1", 1, 2, -0.1, 0, 1, 0.9, 60, "m"),
                new TradeOutcome(
                        "r",
                        "p",
                        "AAPL",
                        "long",
                        1,
                        10,
                        11,
                        9,
                        TradeOutcome.TARGET_HIT,
                        2,
                        11,
                        10,
                        1),
                new ModelVersion("default", "m", "1", "abc", "{}"),
                new ModelCatalog(
                        List.of(new ModelVersion("default", "m", "1", "abc", "{}")),
                        List.of(new ModelProblem("AAPL", "def", "corrupt"))),
                history,
                ring,
                points,
                residuals,
                recent,
                health,
                open);
    }

    @ParameterizedTest
    @MethodSource("records")
    @SuppressWarnings("unchecked")
    void serializesAsAPojoAndRoundTrips(Object record) throws Exception {
        TypeInformation<Object> type =
                (TypeInformation<Object>) TypeInformation.of(record.getClass());
        assertThat(type).isInstanceOf(PojoTypeInfo.class);

        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<Object> serializer = type.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        Object copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).usingRecursiveComparison().isEqualTo(record);
    }
}
