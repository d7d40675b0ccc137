package io.barcast.connectors.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.IncomingBar;
import io.barcast.core.TopicMessage;
import io.barcast.core.json.BarFormats;
import io.barcast.core.json.Json;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads bars from a Kafka topic, one JSON bar per record ({@code symbol, t, o, h, l, c, v}). A
 * record that is not a bar (a tombstone, bytes that are not UTF-8, text that is not a bar) is kept,
 * unparsed, with the reason, for the dead letters.
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
        TopicMessage message = KafkaMessages.decode(record);
        if (!message.isReadable()) {
            out.collect(
                    IncomingBar.unparsable(message.origin(), message.payload(), message.problem()));
            return;
        }
        try {
            out.collect(IncomingBar.parsed(message.origin(), formats.parseJson(message.text())));
        } catch (IllegalArgumentException e) {
            out.collect(IncomingBar.unparsable(message.origin(), message.text(), e.getMessage()));
        }
    }

    @Override
    public TypeInformation<IncomingBar> getProducedType() {
        return TypeInformation.of(IncomingBar.class);
    }
}
