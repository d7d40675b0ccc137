package io.barcast.core.calendar;

import java.time.Duration;

/**
 * A market that never closes, such as crypto: every grid point is a bar start, and a session is a
 * UTC day.
 */
public final class AroundTheClock implements MarketCalendar {

    public static final AroundTheClock INSTANCE = new AroundTheClock();

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private AroundTheClock() {}

    @Override
    public String name() {
        return "24x7";
    }

    @Override
    public boolean isBarStart(long barStart, Duration interval) {
        return Math.floorMod(barStart, interval.toMillis()) == 0;
    }

    @Override
    public long nextBarStart(long barStart, Duration interval) {
        long step = interval.toMillis();
        return Math.floorDiv(barStart, step) * step + step;
    }

    @Override
    public long sessionOpen(long barStart) {
        return Math.floorDiv(barStart, DAY_MS) * DAY_MS;
    }

    @Override
    public long sessionClose(long barStart) {
        return sessionOpen(barStart) + DAY_MS;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
