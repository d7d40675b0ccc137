package io.barcast.connectors.polygon;

import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Market time for tests: starts at a given instant and runs {@code speed} times faster than the
 * wall clock, so a day of 15-minute bars passes in seconds. Serializable, so the source's copy on
 * the task managers runs in step with the test's.
 */
public final class MarketClock extends Clock implements Serializable {

    private final long marketStart;
    private final long wallStart;
    private final double speed;

    public MarketClock(Instant marketStart, double speed) {
        this.marketStart = marketStart.toEpochMilli();
        this.wallStart = System.currentTimeMillis();
        this.speed = speed;
    }

    @Override
    public long millis() {
        return marketStart + (long) ((System.currentTimeMillis() - wallStart) * speed);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
