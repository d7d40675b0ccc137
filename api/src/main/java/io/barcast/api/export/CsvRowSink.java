package io.barcast.api.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * CSV (RFC 4180, CRLF line ends) with Apache Commons CSV: a header row of the column names, then a
 * row per record. Numbers are bare, everything else is quoted, and an empty bare cell is SQL NULL,
 * so an empty text ({@code ""}) and a missing value differ. Times are ISO-8601 in UTC; a list (a
 * forecast's path) is a JSON array in its cell ({@code ["2026-01-05T14:30:00Z", ...]}, {@code
 * [101.5, ...]}) and a JSON value its JSON text.
 */
final class CsvRowSink implements RowSink {

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.NON_NUMERIC).setNullString("").get();

    private final List<ExportColumn> columns;
    private final CSVPrinter printer;
    private final JsonFactory json = new JsonFactory();
    private final Object[] cells;

    CsvRowSink(OutputStream out, List<ExportColumn> columns) throws IOException {
        this.columns = columns;
        this.cells = new Object[columns.size()];
        this.printer =
                new CSVPrinter(
                        new OutputStreamWriter(out, StandardCharsets.UTF_8),
                        FORMAT.builder()
                                .setHeader(
                                        columns.stream()
                                                .map(ExportColumn::name)
                                                .toArray(String[]::new))
                                .get());
    }

    @Override
    public void write(Object[] row) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cell(columns.get(i).type(), row[i]);
        }
        printer.printRecord(cells);
    }

    private Object cell(ColumnType type, Object value) throws IOException {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case TIMESTAMP -> value.toString();
            case BOOLEAN -> value.toString();
            case TIMESTAMP_ARRAY, DOUBLE_ARRAY -> jsonArray(value);
            default -> value;
        };
    }

    private String jsonArray(Object array) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = json.createGenerator(text)) {
            out.writeStartArray();
            if (array instanceof Instant[] times) {
                for (Instant time : times) {
                    if (time == null) {
                        out.writeNull();
                    } else {
                        out.writeString(time.toString());
                    }
                }
            } else {
                for (Double number : (Double[]) array) {
                    if (number == null) {
                        out.writeNull();
                    } else {
                        out.writeNumber(number);
                    }
                }
            }
            out.writeEndArray();
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        printer.close(true);
    }
}
