package io.barcast.api.export;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Apache Parquet with parquet-java, written to a local file ({@link LocalOutputFile}) with a plain
 * configuration, so no Hadoop file system or cluster is involved. Text, ids and JSON are UTF-8
 * strings ({@code STRING}/{@code JSON}), times {@code INT64 TIMESTAMP(MILLIS, UTC)}, integers
 * {@code INT32}/{@code INT64}, lists the standard three-level {@code LIST} of {@code element}; SQL
 * NULL is an absent {@code optional} value. Column chunks are snappy-compressed; a row group holds
 * at most {@link #ROW_GROUP_BYTES}, which bounds the memory the writer buffers.
 */
final class ParquetRowSink implements RowSink {

    /** What the writer buffers before it writes a row group. */
    static final long ROW_GROUP_BYTES = 16L << 20;

    private final ParquetWriter<Object[]> writer;

    ParquetRowSink(Path file, List<ExportColumn> columns) throws IOException {
        this.writer =
                new Builder(new LocalOutputFile(file), new RowWriteSupport(columns))
                        .withConf(new PlainParquetConfiguration())
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withRowGroupSize(ROW_GROUP_BYTES)
                        .build();
    }

    @Override
    public void write(Object[] row) throws IOException {
        writer.write(row);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /** The Parquet schema of {@code columns}: message {@code barcast_export}. */
    static MessageType schemaOf(List<ExportColumn> columns) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (ExportColumn column : columns) {
            message.addField(typeOf(column));
        }
        return message.named("barcast_export");
    }

    private static Type typeOf(ExportColumn column) {
        Repetition repetition = column.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
        return switch (column.type()) {
            case TIMESTAMP_ARRAY ->
                    Types.list(repetition)
                            .element(timestamp(Repetition.REQUIRED).named("element"))
                            .named(column.name());
            case DOUBLE_ARRAY ->
                    Types.list(repetition)
                            .element(
                                    Types.primitive(PrimitiveTypeName.DOUBLE, Repetition.REQUIRED)
                                            .named("element"))
                            .named(column.name());
            default -> scalar(column.type(), repetition).named(column.name());
        };
    }

    private static Types.PrimitiveBuilder<? extends Type> scalar(
            ColumnType type, Repetition repetition) {
        return switch (type) {
            case TEXT, UUID ->
                    Types.primitive(PrimitiveTypeName.BINARY, repetition)
                            .as(LogicalTypeAnnotation.stringType());
            case JSON ->
                    Types.primitive(PrimitiveTypeName.BINARY, repetition)
                            .as(LogicalTypeAnnotation.jsonType());
            case TIMESTAMP -> timestamp(repetition);
            case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition);
            case INTEGER -> Types.primitive(PrimitiveTypeName.INT32, repetition);
            case BIGINT -> Types.primitive(PrimitiveTypeName.INT64, repetition);
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition);
            case TIMESTAMP_ARRAY, DOUBLE_ARRAY ->
                    throw new IllegalArgumentException("a list is not a scalar: " + type);
        };
    }

    private static Types.PrimitiveBuilder<? extends Type> timestamp(Repetition repetition) {
        return Types.primitive(PrimitiveTypeName.INT64, repetition)
                .as(
                        LogicalTypeAnnotation.timestampType(
                                true, LogicalTypeAnnotation.TimeUnit.MILLIS));
    }

    /** Hands each row's values to Parquet's record consumer, column by column. */
    private static final class RowWriteSupport extends WriteSupport<Object[]> {

        private final List<ExportColumn> columns;
        private final MessageType schema;
        private RecordConsumer out;

        RowWriteSupport(List<ExportColumn> columns) {
            this.columns = columns;
            this.schema = schemaOf(columns);
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            out.startMessage();
            for (int i = 0; i < row.length; i++) {
                Object value = row[i];
                if (value == null) {
                    continue;
                }
                ExportColumn column = columns.get(i);
                out.startField(column.name(), i);
                switch (column.type()) {
                    case TEXT, UUID, JSON -> out.addBinary(Binary.fromString((String) value));
                    case TIMESTAMP -> out.addLong(((Instant) value).toEpochMilli());
                    case DOUBLE -> out.addDouble((Double) value);
                    case INTEGER -> out.addInteger((Integer) value);
                    case BIGINT -> out.addLong((Long) value);
                    case BOOLEAN -> out.addBoolean((Boolean) value);
                    case TIMESTAMP_ARRAY -> list((Instant[]) value);
                    case DOUBLE_ARRAY -> list((Double[]) value);
                }
                out.endField(column.name(), i);
            }
            out.endMessage();
        }

        /** {@code <list> { repeated group list { element } }}; an empty list has no "list". */
        private void list(Object[] values) {
            out.startGroup();
            if (values.length > 0) {
                out.startField("list", 0);
                for (Object value : values) {
                    out.startGroup();
                    out.startField("element", 0);
                    if (value instanceof Instant time) {
                        out.addLong(time.toEpochMilli());
                    } else {
                        out.addDouble((Double) value);
                    }
                    out.endField("element", 0);
                    out.endGroup();
                }
                out.endField("list", 0);
            }
            out.endGroup();
        }
    }

    /** A writer of rows to an {@link OutputFile} with the write support above. */
    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {

        private final RowWriteSupport support;

        Builder(OutputFile file, RowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration configuration) {
            return support;
        }

        @Override
        @Deprecated
        protected WriteSupport<Object[]> getWriteSupport(Configuration configuration) {
            return support;
        }
    }
}
