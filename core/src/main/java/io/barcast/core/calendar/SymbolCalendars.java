package io.barcast.core.calendar;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which trading calendar each symbol follows: crypto pairs ({@code X:BTCUSD}) trade around the
 * clock, everything else on the XNYS session, unless configured otherwise per symbol.
 */
public final class SymbolCalendars implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, MarketCalendar> byName;
    private final Map<String, String> bySymbol;

    /**
     * @param calendars the calendars symbols may follow; must include {@code XNYS} and {@code
     *     24x7}, the defaults
     * @param bySymbol calendar name per symbol, overriding the default
     * @throws IllegalArgumentException when a symbol names a calendar not among {@code calendars}
     */
    public SymbolCalendars(List<MarketCalendar> calendars, Map<String, String> bySymbol) {
        Map<String, MarketCalendar> names = new LinkedHashMap<>();
        for (MarketCalendar calendar : calendars) {
            names.put(calendar.name(), calendar);
        }
        for (String required :
                List.of(RegularSession.XNYS.name(), AroundTheClock.INSTANCE.name())) {
            if (!names.containsKey(required)) {
                throw new IllegalArgumentException("no calendar named " + required);
            }
        }
        for (Map.Entry<String, String> entry : bySymbol.entrySet()) {
            if (!names.containsKey(entry.getValue())) {
                throw new IllegalArgumentException(
                        "symbol "
                                + entry.getKey()
                                + " names unknown calendar "
                                + entry.getValue()
                                + ", known: "
                                + names.keySet());
            }
        }
        this.byName = new HashMap<>(names);
        this.bySymbol = new HashMap<>(bySymbol);
    }

    /** The defaults only: {@code X:} symbols 24x7, the rest XNYS. */
    public static SymbolCalendars defaults() {
        return new SymbolCalendars(List.of(RegularSession.XNYS, AroundTheClock.INSTANCE), Map.of());
    }

    /** The calendar {@code symbol} trades on. */
    public MarketCalendar of(String symbol) {
        String name = bySymbol.get(symbol);
        if (name == null) {
            name =
                    symbol.startsWith("X:")
                            ? AroundTheClock.INSTANCE.name()
                            : RegularSession.XNYS.name();
        }
        return byName.get(name);
    }
}
