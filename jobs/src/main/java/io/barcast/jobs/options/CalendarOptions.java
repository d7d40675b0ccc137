package io.barcast.jobs.options;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;

/** Which trading calendar each symbol follows, and corrections to the XNYS calendar. */
public final class CalendarOptions {

    public static final ConfigOption<String> SYMBOLS =
            key("calendar.symbols")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Calendar per symbol as SYMBOL=CALENDAR pairs (XNYS or 24x7), e.g."
                                    + " 'X:BTCUSD=24x7,SPY=XNYS'. Without an entry, X: symbols"
                                    + " trade 24x7 and the rest on XNYS.");

    public static final ConfigOption<String> XNYS_EXTRA_CLOSURES =
            key("calendar.xnys.extra-closures")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Extra days the NYSE is closed (ISO dates, e.g. 2027-01-04), for"
                                    + " closures announced after this release.");

    public static final ConfigOption<String> XNYS_EXTRA_EARLY_CLOSES =
            key("calendar.xnys.extra-early-closes")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Extra NYSE early closes as DATE=HH:MM in New York time, e.g."
                                    + " 2027-12-24=13:00.");

    private CalendarOptions() {}
}
