package io.barcast.api.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the streams read of a record: only its symbol (its key, or its JSON's when it has none). */
final class Records {

    private static final JsonFactory JSON = new JsonFactory();

    private Records() {}

    /** The record's symbol: the job keys every record by it; an unkeyed one names it inside. */
    static String symbolOf(ConsumerRecord<String, String> record) {
        return record.key() != null ? record.key() : symbolOf(record.value());
    }

    /** The top-level {@code symbol} of a record; null when it has none or is not JSON. */
    static String symbolOf(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("symbol".equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
