package io.barcast.functions.track;

import java.util.HashSet;
import java.util.Set;

/**
 * The symbols of one tracker subtask whose forecasts are currently judged poor, for the gauges
 * {@code symbolsLowAccuracy} and {@code symbolsLowSkill} that Prometheus alerts on. Kept in memory
 * only, beside the keyed state that holds the judgement: a symbol leaves when its state is cleared,
 * and after a restart the sets fill again with the next forecast of each symbol.
 */
final class FlaggedSymbols {

    private final Set<String> lowAccuracy = new HashSet<>();
    private final Set<String> lowSkill = new HashSet<>();

    void accuracy(String symbol, boolean low) {
        mark(lowAccuracy, symbol, low);
    }

    void skill(String symbol, boolean low) {
        mark(lowSkill, symbol, low);
    }

    void forget(String symbol) {
        lowAccuracy.remove(symbol);
        lowSkill.remove(symbol);
    }

    int lowAccuracy() {
        return lowAccuracy.size();
    }

    int lowSkill() {
        return lowSkill.size();
    }

    private static void mark(Set<String> flagged, String symbol, boolean low) {
        if (low) {
            flagged.add(symbol);
        } else {
            flagged.remove(symbol);
        }
    }
}
