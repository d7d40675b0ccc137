package io.barcast.core.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A weekday session in a market's own time zone, e.g. the NYSE's 09:30-16:00 America/New_York.
 * Holidays and early closes are not modelled here yet: every Monday to Friday is a full session.
 */
public final class RegularSession implements MarketCalendar {

    public static final RegularSession XNYS =
            new RegularSession(
                    "XNYS",
                    ZoneId.of("America/New_York"),
                    LocalTime.of(9, 30),
                    LocalTime.of(16, 0));

    private final String name;
    private final ZoneId zone;
    private final LocalTime open;
    private final LocalTime close;

    public RegularSession(String name, ZoneId zone, LocalTime open, LocalTime close) {
        this.name = name;
        this.zone = zone;
        this.open = open;
        this.close = close;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBarStart(long barStart, Duration interval) {
        ZonedDateTime start = Instant.ofEpochMilli(barStart).atZone(zone);
        if (!isTradingDay(start.toLocalDate())) {
            return false;
        }
        LocalDate day = start.toLocalDate();
        long sessionOpen = day.atTime(open).atZone(zone).toInstant().toEpochMilli();
        long sessionClose = day.atTime(close).atZone(zone).toInstant().toEpochMilli();
        long step = interval.toMillis();
        return barStart >= sessionOpen
                && barStart + step <= sessionClose
                && (barStart - sessionOpen) % step == 0;
    }

    @Override
    public long nextBarStart(long barStart, Duration interval) {
        long step = interval.toMillis();
        ZonedDateTime at = Instant.ofEpochMilli(barStart).atZone(zone);
        LocalDate day = at.toLocalDate();
        long sessionOpen = day.atTime(open).atZone(zone).toInstant().toEpochMilli();
        long sessionClose = day.atTime(close).atZone(zone).toInstant().toEpochMilli();
        if (isTradingDay(day) && barStart < sessionClose) {
            long candidate =
                    barStart < sessionOpen
                            ? sessionOpen
                            : sessionOpen + ((barStart - sessionOpen) / step + 1) * step;
            if (candidate + step <= sessionClose) {
                return candidate;
            }
        }
        LocalDate next = day.plusDays(1);
        while (!isTradingDay(next)) {
            next = next.plusDays(1);
        }
        return next.atTime(open).atZone(zone).toInstant().toEpochMilli();
    }

    private static boolean isTradingDay(LocalDate day) {
        DayOfWeek dow = day.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }
}
