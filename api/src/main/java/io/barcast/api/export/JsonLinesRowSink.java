package io.barcast.api.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * JSON lines with Jackson's streaming generator: one object a line, keys as the column names, SQL
 * NULL as {@code null}, times as ISO-8601 text in UTC, lists as arrays, JSON values (confidence
 * factors) as objects.
 */
final class JsonLinesRowSink implements RowSink {

    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private final List<ExportColumn> columns;
    private final JsonGenerator out;

    JsonLinesRowSink(OutputStream stream, List<ExportColumn> columns) throws IOException {
        this.columns = columns;
        this.out = FACTORY.createGenerator(stream);
        // one value a line, not one value after another separated by spaces
        out.setRootValueSeparator(null);
    }

    @Override
    public void write(Object[] row) throws IOException {
        out.writeStartObject();
        for (int i = 0; i < row.length; i++) {
            ExportColumn column = columns.get(i);
            out.writeFieldName(column.name());
            Object value = row[i];
            if (value == null) {
                out.writeNull();
                continue;
            }
            switch (column.type()) {
                case TEXT, UUID -> out.writeString((String) value);
                case JSON -> out.writeRawValue((String) value);
                case TIMESTAMP -> out.writeString(value.toString());
                case DOUBLE -> out.writeNumber((Double) value);
                case INTEGER -> out.writeNumber((Integer) value);
                case BIGINT -> out.writeNumber((Long) value);
                case BOOLEAN -> out.writeBoolean((Boolean) value);
                case TIMESTAMP_ARRAY -> {
                    out.writeStartArray();
                    for (Instant time : (Instant[]) value) {
                        out.writeString(time == null ? null : time.toString());
                    }
                    out.writeEndArray();
                }
                case DOUBLE_ARRAY -> {
                    out.writeStartArray();
                    for (Double number : (Double[]) value) {
                        if (number == null) {
                            out.writeNull();
                        } else {
                            out.writeNumber(number);
                        }
                    }
                    out.writeEndArray();
                }
            }
        }
        out.writeEndObject();
        out.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
