package io.barcast.connectors.kafka;

import io.barcast.core.TopicMessage;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads every record of a topic as a {@link TopicMessage}: its text, or why it has none. Unlike a
 * string schema it never throws, so a tombstone or a non-UTF-8 record reaches the dead letters.
 */
public final class KafkaMessageDeserializer
        implements KafkaRecordDeserializationSchema<TopicMessage> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TopicMessage> out) {
        out.collect(KafkaMessages.decode(record));
    }

    @Override
    public TypeInformation<TopicMessage> getProducedType() {
        return TypeInformation.of(TopicMessage.class);
    }
}
