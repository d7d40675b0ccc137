package io.barcast.core.recommend;

/** Which way a trade goes. */
public enum TradeSide {
    /** Buy, then sell higher. */
    LONG("long"),
    /** Sell, then buy back lower. */
    SHORT("short");

    private final String label;

    TradeSide(String label) {
        this.label = label;
    }

    /** The lower-case name used in JSON and SQL. */
    public String label() {
        return label;
    }
}
