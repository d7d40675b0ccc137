package io.barcast.connectors.kafka;

import io.barcast.core.TopicMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a Kafka record's value as UTF-8 text, strictly: a tombstone (null value) or bytes that are
 * not UTF-8 come back as an unreadable {@link TopicMessage} with the reason, never as an exception
 * that would fail the job on every restart, and never silently mended with replacement characters.
 */
public final class KafkaMessages {

    private KafkaMessages() {}

    public static TopicMessage decode(ConsumerRecord<byte[], byte[]> record) {
        String origin =
                "kafka:" + record.topic() + "/" + record.partition() + "@" + record.offset();
        byte[] value = record.value();
        if (value == null) {
            return TopicMessage.unreadable(
                    origin, "", "a tombstone (a record without a value) is not a message");
        }
        CharsetDecoder strict =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(value);
        try {
            return TopicMessage.text(origin, strict.decode(bytes).toString());
        } catch (CharacterCodingException e) {
            return TopicMessage.unreadable(
                    origin,
                    new String(value, StandardCharsets.UTF_8),
                    "not valid UTF-8 at byte " + bytes.position() + " of " + value.length);
        }
    }
}
