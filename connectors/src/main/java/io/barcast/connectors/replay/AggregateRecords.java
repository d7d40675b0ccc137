package io.barcast.connectors.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.IncomingBar;
import io.barcast.core.SafeText;
import io.barcast.core.json.BarFormats;
import io.barcast.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * A saved Polygon aggregates response ({@code {"ticker": ..., "results": [...]}}) read with
 * Jackson's streaming parser one result at a time, so that its size does not matter. A result that
 * is not a bar is one record; where the JSON itself breaks, the results before it stand and the
 * rest of the file is one record saying where it broke.
 */
final class AggregateRecords implements FileRecords {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int PAYLOAD_BYTES = 1024;
    private static final JsonFactory JSON = Json.newMapper().getFactory();

    private final String origin;
    private final FileChannel channel;
    private final long startOffset;
    private final ObjectMapper mapper = Json.newMapper();
    private final BarFormats formats = new BarFormats(mapper);
    private JsonParser parser;
    private String ticker;
    private boolean done;

    /** Reads the results whose JSON object starts at byte {@code startOffset} or later. */
    AggregateRecords(String origin, FileChannel channel, long startOffset) {
        this.origin = origin;
        this.channel = channel;
        this.startOffset = startOffset;
    }

    /**
     * Whether a {@code .json} file is an aggregates response rather than bars one per line: its
     * first JSON object has a top-level {@code results} or {@code ticker}. Only that object's
     * top-level names are looked at, so a file of any size answers at once.
     */
    static boolean isAggregatesResponse(FileChannel channel) throws IOException {
        try (JsonParser parser = open(channel)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (name.equals("results") || name.equals("ticker")) {
                    return true;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return false;
        } catch (JsonProcessingException e) {
            // not JSON from the start: read as lines, each one a record of its own
            return false;
        }
    }

    private static JsonParser open(FileChannel channel) throws IOException {
        return JSON.createParser(new PositionedInput(channel, 0, BUFFER_BYTES));
    }

    @Override
    public FileRecord next() throws IOException {
        if (done) {
            return null;
        }
        try {
            if (parser == null && !start()) {
                done = true;
                return null;
            }
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) {
                    done = true;
                    return null;
                }
                JsonLocation at = parser.currentTokenLocation();
                if (at.getByteOffset() < startOffset) {
                    parser.skipChildren();
                    continue;
                }
                JsonNode result = mapper.readTree(parser);
                return record(at, result);
            }
        } catch (JsonProcessingException e) {
            done = true;
            return broken(e);
        } catch (FileRecordException e) {
            done = true;
            return e.record;
        }
    }

    /** Finds the ticker and moves the parser into the results; false when there are none. */
    private boolean start() throws IOException {
        ticker = findTicker();
        parser = open(channel);
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw whole("an aggregates response is a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("results")) {
                if (value == JsonToken.VALUE_NULL) {
                    return false;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw whole("aggregates response: results is not an array");
                }
                if (ticker == null) {
                    throw whole("aggregates response has no ticker");
                }
                return true;
            }
            parser.skipChildren();
        }
        return false;
    }

    /** The response's top-level ticker, usually its first field; null when it has none. */
    private String findTicker() throws IOException {
        try (JsonParser scan = open(channel)) {
            if (scan.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (scan.nextToken() == JsonToken.FIELD_NAME) {
                String name = scan.currentName();
                JsonToken value = scan.nextToken();
                if (name.equals("ticker") && value.isScalarValue()) {
                    return scan.getValueAsString();
                }
                scan.skipChildren();
            }
            return null;
        } catch (JsonProcessingException e) {
            // the response breaks before a ticker: reading it reports where
            return null;
        }
    }

    private FileRecord record(JsonLocation at, JsonNode result) {
        String where = origin + ":" + at.getLineNr();
        long bytes = parser.currentLocation().getByteOffset() - at.getByteOffset();
        IncomingBar incoming;
        try {
            incoming = IncomingBar.parsed(where, formats.parsePolygonResult(result, ticker));
        } catch (IllegalArgumentException e) {
            incoming = IncomingBar.unparsable(where, result.toString(), e.getMessage());
        }
        return new FileRecord(incoming, at.getByteOffset(), at.getLineNr(), bytes);
    }

    /** The rest of the file from where the JSON broke, as one record. */
    private FileRecord broken(JsonProcessingException e) throws IOException {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        long offset = Math.max(0, at.getByteOffset());
        String problem =
                String.format(
                        "aggregates response breaks at line %d, column %d (byte offset %d): %s;"
                                + " the rest of the file is not read",
                        at.getLineNr(), at.getColumnNr(), offset, e.getOriginalMessage());
        return rest(offset, at.getLineNr(), problem);
    }

    private FileRecordException whole(String problem) throws IOException {
        return new FileRecordException(rest(0, 1, problem));
    }

    /** One record for the file from {@code offset} on: its first bytes, marked with its size. */
    private FileRecord rest(long offset, long line, String problem) throws IOException {
        long size = channel.size() - offset;
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(PAYLOAD_BYTES, Math.max(0, size)));
        while (head.hasRemaining() && channel.read(head, offset + head.position()) > 0) {
            // positional reads until the head is full or the file ends
        }
        String text = new String(head.array(), 0, head.position(), StandardCharsets.UTF_8);
        String payload =
                size > head.position()
                        ? SafeText.truncated(text, PAYLOAD_BYTES + 64, size, "bytes")
                        : text;
        return new FileRecord(
                IncomingBar.unparsable(origin + ":" + line, payload, problem), offset, line, size);
    }

    /** Ends the reading with one record for the whole response. */
    private static final class FileRecordException extends RuntimeException {
        final FileRecord record;

        FileRecordException(FileRecord record) {
            super(null, null, false, false);
            this.record = record;
        }
    }
}
