package io.barcast.connectors.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.BarFormats;
import io.barcast.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads bars from a Kafka topic, one JSON bar per record ({@code symbol, t, o, h, l, c, v}). A
 * record that is not a bar is kept, unparsed, with the reason, for the dead letters.
 */
public final class KafkaBarDeserializer implements KafkaRecordDeserializationSchema<IncomingBar> {

    private transient BarFormats formats;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        ObjectMapper mapper = Json.newMapper();
        formats = new BarFormats(mapper);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IncomingBar> out) {
        String origin =
                "kafka:" + record.topic() + "/" + record.partition() + "@" + record.offset();
        if (record.value() == null) {
            out.collect(IncomingBar.unparsable(origin, "", "record has no value"));
            return;
        }
        String text = new String(record.value(), StandardCharsets.UTF_8);
        try {
            out.collect(IncomingBar.parsed(origin, formats.parseJson(text)));
        } catch (IllegalArgumentException e) {
            out.collect(IncomingBar.unparsable(origin, text, e.getMessage()));
        }
    }

    @Override
    public TypeInformation<IncomingBar> getProducedType() {
        return TypeInformation.of(IncomingBar.class);
    }
}
