package io.barcast.core.features;

import io.barcast.core.Bar;
import java.util.List;

/**
 * A read-only view of a symbol's most recent bars; {@code back = 0} is the current (newest) bar.
 */
public interface RecentBars {

    /** How many bars can be looked at: {@code back} runs from 0 to {@code size() - 1}. */
    int size();

    double open(int back);

    double high(int back);

    double low(int back);

    double close(int back);

    double volume(int back);

    /**
     * The bars of {@code bars} up to and including {@code bars.get(current)}, which is the current
     * bar; {@code bars} is in time order, oldest first.
     */
    static RecentBars endingAt(List<Bar> bars, int current) {
        if (current < 0 || current >= bars.size()) {
            throw new IndexOutOfBoundsException(
                    "current bar " + current + " outside 0.." + (bars.size() - 1));
        }
        return new ListRecentBars(bars, current);
    }
}
