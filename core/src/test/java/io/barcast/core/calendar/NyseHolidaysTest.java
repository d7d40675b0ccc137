package io.barcast.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The XNYS calendar's closed days and early closes against the exchange's published calendars,
 * asked through the public calendar API.
 */
class NyseHolidaysTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Duration BAR = Duration.ofMinutes(15);
    private static final MarketCalendar XNYS = RegularSession.XNYS;

    private static final Set<LocalDate> SPECIAL_CLOSURES =
            Set.of(
                    LocalDate.parse("2001-09-11"),
                    LocalDate.parse("2001-09-12"),
                    LocalDate.parse("2001-09-13"),
                    LocalDate.parse("2001-09-14"),
                    LocalDate.parse("2004-06-11"),
                    LocalDate.parse("2007-01-02"),
                    LocalDate.parse("2012-10-29"),
                    LocalDate.parse("2012-10-30"),
                    LocalDate.parse("2018-12-05"),
                    LocalDate.parse("2025-01-09"));

    /** Year, weekdays closed, days closing at 13:00: as the NYSE announced them. */
    static Stream<Arguments> publishedYears() {
        return Stream.of(
                year(
                        2001,
                        "01-01 01-15 02-19 04-13 05-28 07-04 09-03 09-11 09-12 09-13 09-14 11-22"
                                + " 12-25",
                        "07-03 11-23 12-24"),
                year(
                        2002,
                        "01-01 01-21 02-18 03-29 05-27 07-04 09-02 11-28 12-25",
                        "07-05 11-29 12-24"),
                year(
                        2003,
                        "01-01 01-20 02-17 04-18 05-26 07-04 09-01 11-27 12-25",
                        "07-03 11-28 12-24 12-26"),
                year(2004, "01-01 01-19 02-16 04-09 05-31 06-11 07-05 09-06 11-25 12-24", "11-26"),
                year(
                        2007,
                        "01-01 01-02 01-15 02-19 04-06 05-28 07-04 09-03 11-22 12-25",
                        "07-03 11-23 12-24"),
                year(
                        2012,
                        "01-02 01-16 02-20 04-06 05-28 07-04 09-03 10-29 10-30 11-22 12-25",
                        "07-03 11-23 12-24"),
                year(
                        2013,
                        "01-01 01-21 02-18 03-29 05-27 07-04 09-02 11-28 12-25",
                        "07-03 11-29 12-24"),
                year(
                        2018,
                        "01-01 01-15 02-19 03-30 05-28 07-04 09-03 11-22 12-05 12-25",
                        "07-03 11-23 12-24"),
                year(2021, "01-01 01-18 02-15 04-02 05-31 07-05 09-06 11-25 12-24", "11-26"),
                year(2022, "01-17 02-21 04-15 05-30 06-20 07-04 09-05 11-24 12-26", "11-25"),
                year(
                        2023,
                        "01-02 01-16 02-20 04-07 05-29 06-19 07-04 09-04 11-23 12-25",
                        "07-03 11-24"),
                year(
                        2024,
                        "01-01 01-15 02-19 03-29 05-27 06-19 07-04 09-02 11-28 12-25",
                        "07-03 11-29 12-24"),
                year(
                        2025,
                        "01-01 01-09 01-20 02-17 04-18 05-26 06-19 07-04 09-01 11-27 12-25",
                        "07-03 11-28 12-24"),
                year(
                        2026,
                        "01-01 01-19 02-16 04-03 05-25 06-19 07-03 09-07 11-26 12-25",
                        "11-27 12-24"),
                year(2027, "01-01 01-18 02-15 03-26 05-31 06-18 07-05 09-06 11-25 12-24", "11-26"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishedYears")
    void closesAndClosesEarlyOnThePublishedDays(
            int year, List<LocalDate> closed, List<LocalDate> early) {
        assertThat(closedWeekdays(year)).containsExactlyElementsOf(closed);
        assertThat(earlyCloses(year)).containsExactlyElementsOf(early);
    }

    static IntStream years2000To2035() {
        return IntStream.rangeClosed(2000, 2035);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("years2000To2035")
    void closesOnEveryHolidayAndTheDayAfterThanksgivingEarly(int year) {
        boolean newYearOnSaturday = LocalDate.of(year, 1, 1).getDayOfWeek() == DayOfWeek.SATURDAY;
        int holidays = (year >= 2022 ? 10 : 9) - (newYearOnSaturday ? 1 : 0);
        long specials = SPECIAL_CLOSURES.stream().filter(d -> d.getYear() == year).count();
        List<LocalDate> closed = closedWeekdays(year);

        assertThat(closed).hasSize(holidays + (int) specials);
        assertThat(closed)
                .contains(
                        thirdMonday(year, 1),
                        thirdMonday(year, 2),
                        NyseHolidays.easterSunday(year).minusDays(2),
                        LocalDate.of(year, 5, 31)
                                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                        LocalDate.of(year, 9, 1)
                                .with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY)),
                        thanksgiving(year));
        assertThat(earlyCloses(year)).contains(thanksgiving(year).plusDays(1));
    }

    @Test
    void goodFridayIsTwoDaysBeforeEaster() {
        assertThat(NyseHolidays.easterSunday(2000)).isEqualTo("2000-04-23");
        assertThat(NyseHolidays.easterSunday(2008)).isEqualTo("2008-03-23");
        assertThat(NyseHolidays.easterSunday(2011)).isEqualTo("2011-04-24");
        assertThat(NyseHolidays.easterSunday(2035)).isEqualTo("2035-03-25");
        assertThat(isClosed(LocalDate.parse("2026-04-03"))).isTrue();
        assertThat(isClosed(LocalDate.parse("2026-04-06"))).isFalse();
    }

    @Test
    void observesWeekendHolidaysOnTheNearestWeekdayExceptNewYearOnASaturday() {
        // Juneteenth 2022 was a Sunday, 2027 a Saturday; the NYSE first closed for it in 2022.
        assertThat(isClosed(LocalDate.parse("2022-06-20"))).isTrue();
        assertThat(isClosed(LocalDate.parse("2022-06-17"))).isFalse();
        assertThat(isClosed(LocalDate.parse("2027-06-18"))).isTrue();
        assertThat(isClosed(LocalDate.parse("2021-06-18"))).isFalse();
        // New Year's Day 2022 was a Saturday: the last trading day of 2021 stayed open.
        assertThat(isClosed(LocalDate.parse("2021-12-31"))).isFalse();
        assertThat(isClosed(LocalDate.parse("2023-01-02"))).isTrue();
        // Christmas 2021 was a Saturday, 2022 a Sunday.
        assertThat(isClosed(LocalDate.parse("2021-12-24"))).isTrue();
        assertThat(isClosed(LocalDate.parse("2022-12-26"))).isTrue();
    }

    @Test
    void closesOnTheSpecialClosures() {
        assertThat(SPECIAL_CLOSURES).allSatisfy(day -> assertThat(isClosed(day)).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("years2000To2035")
    void closesEarlyOnChristmasEveOnlyFromMondayToThursday(int year) {
        LocalDate eve = LocalDate.of(year, 12, 24);
        boolean mondayToThursday = eve.getDayOfWeek().compareTo(DayOfWeek.THURSDAY) <= 0;

        assertThat(earlyCloses(year).contains(eve)).isEqualTo(mondayToThursday);
    }

    @Test
    void closesAt1300OnChristmasEve2026() {
        assertThat(closeOn(LocalDate.parse("2026-12-24"))).isEqualTo(LocalTime.of(13, 0));
    }

    @Test
    void opensAtNoonOnTheFirstAnniversaryOfSeptemberEleventh() {
        LocalDate day = LocalDate.parse("2002-09-11");
        long first = XNYS.firstBarStartAtOrAfter(startOf(day), BAR);

        assertThat(first).isEqualTo(day.atTime(12, 0).atZone(NEW_YORK).toInstant().toEpochMilli());
        assertThat(XNYS.sessionOpen(first)).isEqualTo(first);
    }

    private static Arguments year(int year, String closed, String early) {
        return Arguments.of(year, days(year, closed), days(year, early));
    }

    private static List<LocalDate> days(int year, String monthDays) {
        return Stream.of(monthDays.split(" "))
                .map(monthDay -> LocalDate.parse(year + "-" + monthDay))
                .toList();
    }

    private static List<LocalDate> closedWeekdays(int year) {
        List<LocalDate> closed = new ArrayList<>();
        for (LocalDate day = LocalDate.of(year, 1, 1);
                day.getYear() == year;
                day = day.plusDays(1)) {
            if (day.getDayOfWeek().getValue() <= 5 && isClosed(day)) {
                closed.add(day);
            }
        }
        return closed;
    }

    private static List<LocalDate> earlyCloses(int year) {
        List<LocalDate> early = new ArrayList<>();
        for (LocalDate day = LocalDate.of(year, 1, 1);
                day.getYear() == year;
                day = day.plusDays(1)) {
            if (!isClosed(day) && closeOn(day).isBefore(LocalTime.of(16, 0))) {
                early.add(day);
            }
        }
        return early;
    }

    /** Whether no bar starts on the New York day. */
    private static boolean isClosed(LocalDate day) {
        long first = XNYS.firstBarStartAtOrAfter(startOf(day), BAR);
        return first >= startOf(day.plusDays(1));
    }

    private static LocalTime closeOn(LocalDate day) {
        long first = XNYS.firstBarStartAtOrAfter(startOf(day), BAR);
        return Instant.ofEpochMilli(XNYS.sessionClose(first)).atZone(NEW_YORK).toLocalTime();
    }

    private static long startOf(LocalDate day) {
        return day.atStartOfDay(NEW_YORK).toInstant().toEpochMilli();
    }

    private static LocalDate thirdMonday(int year, int month) {
        return LocalDate.of(year, month, 1)
                .with(TemporalAdjusters.dayOfWeekInMonth(3, DayOfWeek.MONDAY));
    }

    private static LocalDate thanksgiving(int year) {
        return LocalDate.of(year, 11, 1)
                .with(TemporalAdjusters.dayOfWeekInMonth(4, DayOfWeek.THURSDAY));
    }
}
