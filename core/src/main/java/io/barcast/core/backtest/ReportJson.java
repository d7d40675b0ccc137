package io.barcast.core.backtest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.barcast.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The report as JSON and back. JSON has no NaN: a figure with nothing to measure is written as
 * {@code null} and read back as NaN. The bar interval is an ISO-8601 duration ({@code PT15M}).
 */
final class ReportJson {

    private static final ObjectMapper MAPPER = mapper();

    private ReportJson() {}

    static String write(BacktestReport report) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            // every type in a report is a record of strings, numbers and lists
            throw new IllegalStateException("a backtest report did not serialize", e);
        }
    }

    static BacktestReport read(String json) {
        try {
            return MAPPER.readValue(json, BacktestReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a backtest report: " + e.getMessage(), e);
        }
    }

    private static ObjectMapper mapper() {
        SimpleModule notANumberAsNull = new SimpleModule("not-a-number-as-null");
        notANumberAsNull.addSerializer(Double.class, new NullForNonFinite());
        notANumberAsNull.addSerializer(Double.TYPE, new NullForNonFinite());
        notANumberAsNull.addDeserializer(Double.class, new NaNForNull());
        notANumberAsNull.addDeserializer(Double.TYPE, new NaNForNull());
        ObjectMapper mapper = Json.newMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.registerModule(notANumberAsNull);
        mapper.configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false);
        return mapper;
    }

    private static final class NullForNonFinite extends StdScalarSerializer<Double> {

        NullForNonFinite() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }

    private static final class NaNForNull extends StdScalarDeserializer<Double> {

        NaNForNull() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isNumeric()) {
                return (Double) ctxt.handleUnexpectedToken(Double.class, p);
            }
            return p.getDoubleValue();
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
