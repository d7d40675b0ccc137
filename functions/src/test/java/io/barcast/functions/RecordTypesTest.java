package io.barcast.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.IncomingBar;
import io.barcast.core.InferenceRequest;
import io.barcast.core.InferenceResult;
import io.barcast.core.Prediction;
import io.barcast.functions.models.ModelCatalog;
import io.barcast.functions.models.ModelProblem;
import io.barcast.functions.models.ModelVersion;
import io.barcast.functions.window.SymbolHistory;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record that crosses an operator, is broadcast or lives in state is a POJO to Flink, never
 * Kryo.
 */
class RecordTypesTest {

    static List<Object> records() {
        Bar bar = new Bar("AAPL", 900_000, 1, 2, 0.5, 1.5, 10, 1.2, 7L);
        InferenceRequest request =
                new InferenceRequest("AAPL", 900_000, "new_bar", 1.5, new float[] {1, 2}, 3);
        SymbolHistory history = SymbolHistory.create(2, 3, 2);
        history.lastBar = bar;
        ModelVersion version = new ModelVersion("X_BTCUSD", "m", "2", "0123456789abcdef", "{}");
        ModelProblem problem = new ModelProblem("AAPL", "fedcba9876543210", "bad model");
        return List.of(
                bar,
                Bar.of("X:BTCUSD", 0, 1, 1, 1, 1, 0),
                IncomingBar.parsed("test", bar),
                IncomingBar.unparsable("test", "junk", "not a bar"),
                DeadLetter.of("AAPL", "sanitize", "bad", 1, "{}"),
                request,
                InferenceResult.success(request, "m", "1", new float[] {0.1f}, 4, 100),
                InferenceResult.failure(request, "m", "1", "timed out"),
                new Prediction(
                        "id",
                        "AAPL",
                        1,
                        "new_bar",
                        "m",
                        "1",
                        1.5,
                        new long[] {2},
                        new double[] {1.6},
                        1,
                        2,
                        3,
                        4),
                history,
                version,
                problem,
                new ModelCatalog(List.of(version), List.of(problem)));
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
