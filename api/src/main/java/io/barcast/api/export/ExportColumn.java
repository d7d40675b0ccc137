package io.barcast.api.export;

/**
 * A column of an export: named as in its table, with its type and whether it may be null (which
 * Parquet's schema says as {@code optional} or {@code required}).
 */
record ExportColumn(String name, ColumnType type, boolean nullable) {

    static ExportColumn required(String name, ColumnType type) {
        return new ExportColumn(name, type, false);
    }

    static ExportColumn optional(String name, ColumnType type) {
        return new ExportColumn(name, type, true);
    }

    /** What the SELECT list reads for it: jsonb as its text. */
    String select() {
        return type == ColumnType.JSON ? name + "::text AS " + name : name;
    }
}
