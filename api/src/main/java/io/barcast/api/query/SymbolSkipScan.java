package io.barcast.api.query;

/**
 * SQL for the distinct symbols of a table whose index starts with {@code symbol}, one index probe
 * per symbol: PostgreSQL has no skip scan, so {@code SELECT DISTINCT symbol} would read every row
 * of the index, while the recursive form reads one entry per symbol. Table and names are the
 * caller's constants, never a client's text.
 */
final class SymbolSkipScan {

    private SymbolSkipScan() {}

    /**
     * A common table expression {@code name (symbol)} of the symbols of {@code table} after the
     * statement's parameter at its place ({@code ''} for all), ascending, ending in one null row;
     * the statement must start {@code WITH RECURSIVE}.
     */
    static String symbolsAfter(String name, String table) {
        return name
                + " (symbol) AS (\n"
                + "    (SELECT symbol FROM "
                + table
                + " WHERE symbol > ? ORDER BY symbol LIMIT 1)\n"
                + "  UNION ALL\n"
                + "    SELECT (SELECT t.symbol FROM "
                + table
                + " t WHERE t.symbol > s.symbol ORDER BY t.symbol LIMIT 1)\n"
                + "    FROM "
                + name
                + " s WHERE s.symbol IS NOT NULL)\n";
    }
}
