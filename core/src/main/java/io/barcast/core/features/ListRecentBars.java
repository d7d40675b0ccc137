package io.barcast.core.features;

import io.barcast.core.Bar;
import java.util.List;

/** {@link RecentBars} over a time-ordered list, ending at one of its bars. */
final class ListRecentBars implements RecentBars {

    private final List<Bar> bars;
    private final int current;

    ListRecentBars(List<Bar> bars, int current) {
        this.bars = bars;
        this.current = current;
    }

    @Override
    public int size() {
        return current + 1;
    }

    @Override
    public double open(int back) {
        return bar(back).open();
    }

    @Override
    public double high(int back) {
        return bar(back).high();
    }

    @Override
    public double low(int back) {
        return bar(back).low();
    }

    @Override
    public double close(int back) {
        return bar(back).close();
    }

    @Override
    public double volume(int back) {
        return bar(back).volume();
    }

    private Bar bar(int back) {
        if (back < 0 || back > current) {
            throw new IndexOutOfBoundsException(
                    "bar " + back + " back, but only " + (current + 1) + " bars");
        }
        return bars.get(current - back);
    }
}
