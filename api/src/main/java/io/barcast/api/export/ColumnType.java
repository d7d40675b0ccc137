package io.barcast.api.export;

/**
 * How a column's values are read from PostgreSQL and written to each format. Text, ids and JSON are
 * text; times are {@link java.time.Instant}s; arrays are Java arrays.
 */
enum ColumnType {
    /** {@code text}; a String. */
    TEXT,
    /** {@code uuid}; its text form. */
    UUID,
    /** {@code jsonb}, read as its text; an embedded object in JSON lines. */
    JSON,
    /** {@code timestamptz}; an Instant. */
    TIMESTAMP,
    /** {@code double precision}; a Double. */
    DOUBLE,
    /** {@code integer}; an Integer. */
    INTEGER,
    /** {@code bigint}; a Long. */
    BIGINT,
    /** {@code boolean}; a Boolean. */
    BOOLEAN,
    /** {@code timestamptz[]}; an Instant[]. */
    TIMESTAMP_ARRAY,
    /** {@code double precision[]}; a Double[]. */
    DOUBLE_ARRAY;

    boolean isArray() {
        return this == TIMESTAMP_ARRAY || this == DOUBLE_ARRAY;
    }
}
