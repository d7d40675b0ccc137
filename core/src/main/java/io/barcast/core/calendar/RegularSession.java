package io.barcast.core.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A market with one session a weekday in its own time zone, e.g. the NYSE's 09:30-16:00
 * America/New_York, and the days it departs from that.
 *
 * <p>{@link #XNYS} is the New York Stock Exchange: its holidays, special closures and 13:00 early
 * closes follow the exchange's rules (see {@code NyseHolidays}), correct from 2000 on and tested
 * for 2000-2035. Closures the rules cannot know, such as a national day of mourning announced next
 * week, or corrections, are passed to {@link #xnys(Set, Map)} without a release. A session made
 * with the public constructor trades every Monday to Friday.
 *
 * <p>Each day's session is worked out once, in the market's zone, and kept as epoch milliseconds in
 * a cache that is rebuilt after deserialization, so that the per-bar questions are arithmetic.
 */
public final class RegularSession implements MarketCalendar {

    private static final long serialVersionUID = 2L;

    private static final String XNYS_NAME = "XNYS";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalTime NYSE_OPEN = LocalTime.of(9, 30);
    private static final LocalTime NYSE_CLOSE = LocalTime.of(16, 0);

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /** Marks a day without a session in the cache. */
    private static final long CLOSED = Long.MIN_VALUE;

    /** No market lets more than this pass without a session; more means a misconfiguration. */
    private static final long MAX_DAYS_WITHOUT_SESSION = 3_660;

    // The cache holds the local days of 1900-2199 in chunks of 256 days, filled on first use:
    // a job touches a year or two, so it computes a few chunks and keeps a few kilobytes.
    private static final int CHUNK_SHIFT = 8;
    private static final int CHUNK_DAYS = 1 << CHUNK_SHIFT;
    private static final long FIRST_CACHED_DAY = LocalDate.of(1900, 1, 1).toEpochDay();
    private static final int CHUNKS =
            (int) ((LocalDate.of(2200, 1, 1).toEpochDay() - FIRST_CACHED_DAY) >> CHUNK_SHIFT) + 1;

    /** The New York Stock Exchange with the holidays and early closes its rules give. */
    public static final RegularSession XNYS = xnys(Set.of(), Map.of());

    private final String name;
    private final ZoneId zone;
    private final LocalTime open;
    private final LocalTime close;
    private final Rules rules;
    private final Set<LocalDate> extraClosures;
    private final Map<LocalDate, LocalTime> extraEarlyCloses;

    /** Per chunk of local days: each day's session open and close in epoch ms, or CLOSED. */
    private transient volatile AtomicReferenceArray<long[]> sessionsByChunk;

    /**
     * A market that trades from {@code open} to {@code close} local time every Monday to Friday,
     * without holidays.
     */
    public RegularSession(String name, ZoneId zone, LocalTime open, LocalTime close) {
        this(name, zone, open, close, Rules.WEEKDAYS, Set.of(), Map.of());
    }

    private RegularSession(
            String name,
            ZoneId zone,
            LocalTime open,
            LocalTime close,
            Rules rules,
            Set<LocalDate> extraClosures,
            Map<LocalDate, LocalTime> extraEarlyCloses) {
        this.name = Objects.requireNonNull(name, "name");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.open = Objects.requireNonNull(open, "open");
        this.close = Objects.requireNonNull(close, "close");
        if (!open.isBefore(close)) {
            throw new IllegalArgumentException(
                    name + " opens at " + open + ", not before it closes at " + close);
        }
        this.rules = rules;
        this.extraClosures = Set.copyOf(extraClosures);
        this.extraEarlyCloses = Map.copyOf(extraEarlyCloses);
    }

    /**
     * The New York Stock Exchange as its rules give it, and also closed all day on {@code
     * extraClosures} and closing at the given local time on {@code extraEarlyCloses}: for closures
     * announced after this release, and for corrections. An early close replaces the rules' close
     * for that day (mapping a rule early close to 16:00 undoes it); on a day that is closed anyway
     * it has no effect.
     *
     * @throws IllegalArgumentException if a day is both an extra closure and an extra early close,
     *     or an early close is not after 09:30 and at or before 16:00
     */
    public static RegularSession xnys(
            Set<LocalDate> extraClosures, Map<LocalDate, LocalTime> extraEarlyCloses) {
        Set<LocalDate> both = new HashSet<>(extraClosures);
        both.retainAll(extraEarlyCloses.keySet());
        if (!both.isEmpty()) {
            throw new IllegalArgumentException(
                    "XNYS days both closed and closing early: " + both.stream().sorted().toList());
        }
        extraEarlyCloses.forEach(
                (day, time) -> {
                    if (!time.isAfter(NYSE_OPEN) || time.isAfter(NYSE_CLOSE)) {
                        throw new IllegalArgumentException(
                                "XNYS early close on "
                                        + day
                                        + " at "
                                        + time
                                        + " is not within its "
                                        + NYSE_OPEN
                                        + "-"
                                        + NYSE_CLOSE
                                        + " session");
                    }
                });
        return new RegularSession(
                XNYS_NAME,
                NEW_YORK,
                NYSE_OPEN,
                NYSE_CLOSE,
                Rules.NYSE,
                extraClosures,
                extraEarlyCloses);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBarStart(long barStart, Duration interval) {
        long step = interval.toMillis();
        long utcDay = Math.floorDiv(barStart, DAY_MS);
        for (long day = utcDay - 1; day <= utcDay + 1; day++) {
            long[] sessions = sessions(day);
            int slot = slot(day);
            long dayOpen = sessions[slot];
            if (dayOpen != CLOSED
                    && barStart >= dayOpen
                    && barStart + step <= sessions[slot + 1]
                    && (barStart - dayOpen) % step == 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long nextBarStart(long barStart, Duration interval) {
        long step = interval.toMillis();
        long first = firstDayThatMayTradeAfter(barStart);
        for (long day = first; day < first + MAX_DAYS_WITHOUT_SESSION; day++) {
            long[] sessions = sessions(day);
            int slot = slot(day);
            long dayOpen = sessions[slot];
            if (dayOpen == CLOSED) {
                continue;
            }
            long candidate = firstBarAfter(barStart, dayOpen, step);
            if (candidate + step <= sessions[slot + 1]) {
                return candidate;
            }
        }
        throw noSessionAfter(barStart);
    }

    @Override
    public long plusDays(long time, int days) {
        return Instant.ofEpochMilli(time).atZone(zone).plusDays(days).toInstant().toEpochMilli();
    }

    /** Walks the sessions once instead of asking {@link #nextBarStart} for every bar. */
    @Override
    public long[] barStartsWithin(long asOfBarStart, Duration horizon, Duration interval) {
        long step = interval.toMillis();
        long end = asOfBarStart + horizon.toMillis();
        long[] buffer = new long[(int) (horizon.toMillis() / step) + 1];
        int count = 0;
        long lastDay = Math.floorDiv(end, DAY_MS) + 1;
        for (long day = firstDayThatMayTradeAfter(asOfBarStart);
                day <= lastDay && count < buffer.length;
                day++) {
            long[] sessions = sessions(day);
            int slot = slot(day);
            long dayOpen = sessions[slot];
            if (dayOpen == CLOSED) {
                continue;
            }
            long dayClose = sessions[slot + 1];
            for (long t = firstBarAfter(asOfBarStart, dayOpen, step);
                    t + step <= dayClose && t <= end && count < buffer.length;
                    t += step) {
                buffer[count++] = t;
            }
        }
        return count == buffer.length ? buffer : Arrays.copyOf(buffer, count);
    }

    @Override
    public long sessionOpen(long barStart) {
        long day = sessionDay(barStart);
        return sessions(day)[slot(day)];
    }

    @Override
    public long sessionClose(long barStart) {
        long day = sessionDay(barStart);
        return sessions(day)[slot(day) + 1];
    }

    /** The local day whose session {@code time} falls in. */
    private long sessionDay(long time) {
        long utcDay = Math.floorDiv(time, DAY_MS);
        for (long day = utcDay - 1; day <= utcDay + 1; day++) {
            long[] sessions = sessions(day);
            int slot = slot(day);
            if (sessions[slot] != CLOSED && time >= sessions[slot] && time < sessions[slot + 1]) {
                return day;
            }
        }
        throw new IllegalArgumentException(
                name + " has no session at " + Instant.ofEpochMilli(time));
    }

    /**
     * The earliest local day whose session can end after {@code time}: a local day never ends more
     * than 18 hours (the largest zone offset) after its UTC namesake, so sessions of days before
     * the UTC day's eve are over.
     */
    private static long firstDayThatMayTradeAfter(long time) {
        return Math.floorDiv(time, DAY_MS) - 1;
    }

    /** The first bar of a session opening at {@code dayOpen} that starts after {@code time}. */
    private static long firstBarAfter(long time, long dayOpen, long step) {
        return time < dayOpen
                ? dayOpen
                : dayOpen + (Math.floorDiv(time - dayOpen, step) + 1) * step;
    }

    private IllegalStateException noSessionAfter(long time) {
        return new IllegalStateException(
                name
                        + " has no session within "
                        + MAX_DAYS_WITHOUT_SESSION
                        + " days after "
                        + Instant.ofEpochMilli(time));
    }

    /** Where a local day's open sits in its chunk; its close is in the next slot. */
    private static int slot(long epochDay) {
        return (int) Math.floorMod(epochDay - FIRST_CACHED_DAY, (long) CHUNK_DAYS) * 2;
    }

    /** The chunk of sessions holding local day {@code epochDay}, computed on first use. */
    private long[] sessions(long epochDay) {
        long chunk = Math.floorDiv(epochDay - FIRST_CACHED_DAY, (long) CHUNK_DAYS);
        if (chunk < 0 || chunk >= CHUNKS) {
            // Outside 1900-2199 nobody asks twice; compute without keeping it.
            return computeChunk(chunk);
        }
        AtomicReferenceArray<long[]> cache = sessionsByChunk;
        if (cache == null) {
            // Two threads may both create one; either is fine, they only ever hold equal chunks.
            cache = new AtomicReferenceArray<>(CHUNKS);
            sessionsByChunk = cache;
        }
        long[] sessions = cache.get((int) chunk);
        if (sessions == null) {
            sessions = computeChunk(chunk);
            cache.set((int) chunk, sessions);
        }
        return sessions;
    }

    private long[] computeChunk(long chunk) {
        long firstDay = FIRST_CACHED_DAY + chunk * CHUNK_DAYS;
        long[] sessions = new long[CHUNK_DAYS * 2];
        for (int i = 0; i < CHUNK_DAYS; i++) {
            LocalDate day = LocalDate.ofEpochDay(firstDay + i);
            LocalTime dayOpen = opensOn(day);
            LocalTime dayClose = closesOn(day);
            if (dayOpen == null || !dayOpen.isBefore(dayClose)) {
                sessions[2 * i] = CLOSED;
                sessions[2 * i + 1] = CLOSED;
            } else {
                sessions[2 * i] = day.atTime(dayOpen).atZone(zone).toInstant().toEpochMilli();
                sessions[2 * i + 1] = day.atTime(dayClose).atZone(zone).toInstant().toEpochMilli();
            }
        }
        return sessions;
    }

    /** When the market opens on {@code day} in local time, or null if it does not trade. */
    private LocalTime opensOn(LocalDate day) {
        DayOfWeek weekday = day.getDayOfWeek();
        if (weekday == DayOfWeek.SATURDAY
                || weekday == DayOfWeek.SUNDAY
                || extraClosures.contains(day)
                || rules.isClosed(day)) {
            return null;
        }
        LocalTime late = rules.lateOpen(day);
        return late != null ? late : open;
    }

    private LocalTime closesOn(LocalDate day) {
        LocalTime extra = extraEarlyCloses.get(day);
        if (extra != null) {
            return extra;
        }
        LocalTime early = rules.earlyClose(day);
        return early != null ? early : close;
    }

    /** The departures from the weekday session a market's rules give. */
    private enum Rules {
        /** None: every Monday to Friday is a full session. */
        WEEKDAYS {
            @Override
            boolean isClosed(LocalDate day) {
                return false;
            }

            @Override
            LocalTime earlyClose(LocalDate day) {
                return null;
            }

            @Override
            LocalTime lateOpen(LocalDate day) {
                return null;
            }
        },

        /** The New York Stock Exchange's holidays, special closures and early closes. */
        NYSE {
            @Override
            boolean isClosed(LocalDate day) {
                return NyseHolidays.isClosed(day);
            }

            @Override
            LocalTime earlyClose(LocalDate day) {
                return NyseHolidays.earlyClose(day);
            }

            @Override
            LocalTime lateOpen(LocalDate day) {
                return NyseHolidays.lateOpen(day);
            }
        };

        abstract boolean isClosed(LocalDate day);

        /** The early close on {@code day}, or null if there is none. */
        abstract LocalTime earlyClose(LocalDate day);

        /** The late opening on {@code day}, or null if there is none. */
        abstract LocalTime lateOpen(LocalDate day);
    }
}
