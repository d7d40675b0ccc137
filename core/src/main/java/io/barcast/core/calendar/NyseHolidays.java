package io.barcast.core.calendar;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.Set;

/**
 * The days the New York Stock Exchange departs from its 09:30-16:00 weekday session, as rules.
 * Correct from 2000 on; tested for every year of 2000-2035, and against the exchange's published
 * calendars for fifteen of them.
 *
 * <p>Holidays (NYSE Rule 7.2), on which the exchange is closed:
 *
 * <ul>
 *   <li>New Year's Day, January 1; a Sunday moves it to Monday January 2. A Saturday is not
 *       observed at all: the Friday before is the last trading day of the year, which Rule 7.2
 *       keeps open (2005, 2011, 2022, 2028, 2033).
 *   <li>Martin Luther King Jr. Day, the third Monday of January.
 *   <li>Washington's Birthday, the third Monday of February.
 *   <li>Good Friday, two days before Western (Gregorian) Easter Sunday.
 *   <li>Memorial Day, the last Monday of May.
 *   <li>Juneteenth National Independence Day, June 19, from 2022 on (it became a federal holiday on
 *       2021-06-17, too late for the exchange to close that year); a Saturday moves it to Friday, a
 *       Sunday to Monday.
 *   <li>Independence Day, July 4; a Saturday moves it to Friday July 3, a Sunday to Monday July 5.
 *   <li>Labor Day, the first Monday of September.
 *   <li>Thanksgiving Day, the fourth Thursday of November.
 *   <li>Christmas Day, December 25; a Saturday moves it to Friday December 24, a Sunday to Monday
 *       December 26.
 * </ul>
 *
 * <p>Special closures: 2001-09-11 to 2001-09-14 (the September 11 attacks), 2004-06-11 (national
 * day of mourning for President Reagan), 2007-01-02 (for President Ford), 2012-10-29 and 2012-10-30
 * (Hurricane Sandy), 2018-12-05 (for President George H. W. Bush), 2025-01-09 (for President
 * Carter).
 *
 * <p>Early closes at 13:00:
 *
 * <ul>
 *   <li>the day after Thanksgiving;
 *   <li>Christmas Eve, December 24, when it is a Monday to Thursday (on a Friday it is the observed
 *       Christmas holiday);
 *   <li>July 3 when it is a Monday, Tuesday or Thursday, and from 2013 on also a Wednesday;
 *   <li>before 2013, Friday July 5 when July 4 was a Thursday (2002) instead of the Wednesday;
 *   <li>once, 2003-12-26, the Friday after Christmas.
 * </ul>
 *
 * <p>Late opening: 2002-09-11 at 12:00, for the first anniversary of the attacks. Delays of a few
 * minutes (moments of silence) and unscheduled halts are not modelled: they do not remove a bar.
 */
final class NyseHolidays {

    /** When the exchange closes on an early-close day. */
    static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);

    private static final Set<LocalDate> SPECIAL_CLOSURES =
            Set.of(
                    LocalDate.of(2001, 9, 11),
                    LocalDate.of(2001, 9, 12),
                    LocalDate.of(2001, 9, 13),
                    LocalDate.of(2001, 9, 14),
                    LocalDate.of(2004, 6, 11),
                    LocalDate.of(2007, 1, 2),
                    LocalDate.of(2012, 10, 29),
                    LocalDate.of(2012, 10, 30),
                    LocalDate.of(2018, 12, 5),
                    LocalDate.of(2025, 1, 9));

    private static final Set<LocalDate> SPECIAL_EARLY_CLOSES = Set.of(LocalDate.of(2003, 12, 26));

    private static final Map<LocalDate, LocalTime> LATE_OPENS =
            Map.of(LocalDate.of(2002, 9, 11), LocalTime.of(12, 0));

    private static final int JUNETEENTH_FIRST_YEAR = 2022;

    /** From 2013 the early close before a Thursday July 4 moved from Friday to Wednesday. */
    private static final int WEDNESDAY_JULY_3_FIRST_YEAR = 2013;

    private NyseHolidays() {}

    /** Whether the exchange is closed all day on {@code day} for a holiday or special closure. */
    static boolean isClosed(LocalDate day) {
        return SPECIAL_CLOSURES.contains(day) || isHoliday(day);
    }

    /** The early close on {@code day}, or {@code null} when it trades until 16:00 or not at all. */
    static LocalTime earlyClose(LocalDate day) {
        return isClosed(day) || !closesEarly(day) ? null : EARLY_CLOSE;
    }

    /** The late opening on {@code day}, or {@code null} when it opens at 09:30. */
    static LocalTime lateOpen(LocalDate day) {
        return LATE_OPENS.get(day);
    }

    private static boolean isHoliday(LocalDate day) {
        int year = day.getYear();
        return switch (day.getMonth()) {
            case JANUARY ->
                    day.equals(sundayToMonday(LocalDate.of(year, 1, 1)))
                            || day.equals(nth(3, MONDAY, year, Month.JANUARY));
            case FEBRUARY -> day.equals(nth(3, MONDAY, year, Month.FEBRUARY));
            case MARCH, APRIL -> day.equals(easterSunday(year).minusDays(2));
            case MAY -> day.equals(last(MONDAY, year, Month.MAY));
            case JUNE ->
                    year >= JUNETEENTH_FIRST_YEAR
                            && day.equals(nearestWeekday(LocalDate.of(year, 6, 19)));
            case JULY -> day.equals(nearestWeekday(LocalDate.of(year, 7, 4)));
            case SEPTEMBER -> day.equals(nth(1, MONDAY, year, Month.SEPTEMBER));
            case NOVEMBER -> day.equals(thanksgiving(year));
            case DECEMBER -> day.equals(nearestWeekday(LocalDate.of(year, 12, 25)));
            default -> false;
        };
    }

    private static boolean closesEarly(LocalDate day) {
        int year = day.getYear();
        DayOfWeek weekday = day.getDayOfWeek();
        if (SPECIAL_EARLY_CLOSES.contains(day) || day.equals(thanksgiving(year).plusDays(1))) {
            return true;
        }
        if (day.getMonth() == Month.DECEMBER && day.getDayOfMonth() == 24) {
            return weekday.compareTo(THURSDAY) <= 0;
        }
        if (day.getMonth() == Month.JULY && day.getDayOfMonth() == 3) {
            return switch (weekday) {
                case MONDAY, TUESDAY, THURSDAY -> true;
                case WEDNESDAY -> year >= WEDNESDAY_JULY_3_FIRST_YEAR;
                default -> false;
            };
        }
        return day.getMonth() == Month.JULY
                && day.getDayOfMonth() == 5
                && weekday == FRIDAY
                && year < WEDNESDAY_JULY_3_FIRST_YEAR;
    }

    private static LocalDate thanksgiving(int year) {
        return nth(4, THURSDAY, year, Month.NOVEMBER);
    }

    /** Saturday to the Friday before, Sunday to the Monday after. */
    private static LocalDate nearestWeekday(LocalDate date) {
        return switch (date.getDayOfWeek()) {
            case SATURDAY -> date.minusDays(1);
            case SUNDAY -> date.plusDays(1);
            default -> date;
        };
    }

    private static LocalDate sundayToMonday(LocalDate date) {
        return date.getDayOfWeek() == SUNDAY ? date.plusDays(1) : date;
    }

    private static LocalDate nth(int ordinal, DayOfWeek weekday, int year, Month month) {
        return LocalDate.of(year, month, 1)
                .with(TemporalAdjusters.dayOfWeekInMonth(ordinal, weekday));
    }

    private static LocalDate last(DayOfWeek weekday, int year, Month month) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.lastInMonth(weekday));
    }

    /** Gregorian Easter Sunday by the anonymous (Meeus/Jones/Butcher) algorithm. */
    static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int dayOfMonth = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, dayOfMonth);
    }
}
