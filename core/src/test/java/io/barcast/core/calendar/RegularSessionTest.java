package io.barcast.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RegularSessionTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Duration BAR = Duration.ofMinutes(15);
    private static final Duration WEEK = Duration.ofDays(7);
    private static final RegularSession XNYS = RegularSession.XNYS;

    @Test
    void aFullWeekHas130Bars() {
        long[] bars = XNYS.barStartsWithin(newYork("2026-03-16T09:30"), WEEK, BAR);

        assertThat(bars).hasSize(130);
        assertThat(bars[0]).isEqualTo(utc("2026-03-16T13:45:00Z"));
        assertThat(bars[129]).isEqualTo(utc("2026-03-23T13:30:00Z"));
    }

    @Test
    void aForecastOnFridayAfternoonSpeaksOfTheWholeNextWeek() {
        long[] bars = XNYS.barStartsWithin(newYork("2026-03-13T15:45"), WEEK, BAR);

        assertThat(bars).hasSize(130);
        assertThat(bars[0])
                .isEqualTo(utc("2026-03-16T13:30:00Z"))
                .isEqualTo(newYork("2026-03-16T09:30"));
        assertThat(bars[129])
                .isEqualTo(utc("2026-03-20T19:45:00Z"))
                .isEqualTo(newYork("2026-03-20T15:45"));
    }

    @Test
    void skipsTheWeekend() {
        assertThat(XNYS.nextBarStart(newYork("2026-03-13T15:45"), BAR))
                .isEqualTo(newYork("2026-03-16T09:30"));
        long saturday = newYork("2026-03-14T00:00");
        long monday = newYork("2026-03-16T00:00");
        assertThat(LongStream.iterate(saturday, t -> t < monday, t -> t + BAR.toMillis()))
                .noneMatch(t -> XNYS.isBarStart(t, BAR));
    }

    @Test
    void thanksgivingWeekLosesThursdayAndFridayAfternoon() {
        long[] bars = XNYS.barStartsWithin(newYork("2026-11-23T09:30"), WEEK, BAR);

        // 25 more on Monday, 26 on Tuesday and Wednesday, 14 until 13:00 on Friday, Monday 09:30.
        assertThat(bars).hasSize(130 - 26 - 12);
        assertThat(barsOn("2026-11-26")).isEmpty();
        List<Long> friday = barsOn("2026-11-27");
        assertThat(friday).hasSize(14);
        assertThat(friday.get(13)).isEqualTo(utc("2026-11-27T17:45:00Z"));
        assertThat(XNYS.sessionClose(friday.get(0))).isEqualTo(utc("2026-11-27T18:00:00Z"));
        assertThat(XNYS.nextBarStart(friday.get(13), BAR)).isEqualTo(utc("2026-11-30T14:30:00Z"));
        assertThat(bars[bars.length - 1]).isEqualTo(utc("2026-11-30T14:30:00Z"));
    }

    @Test
    void independenceDayOnASaturdayClosesFridayWithoutAnEarlyClose() {
        List<Long> thursday = barsOn("2026-07-02");
        assertThat(thursday).hasSize(26);
        assertThat(thursday.get(25)).isEqualTo(utc("2026-07-02T19:45:00Z"));
        assertThat(barsOn("2026-07-03")).isEmpty();
        assertThat(XNYS.nextBarStart(thursday.get(25), BAR)).isEqualTo(utc("2026-07-06T13:30:00Z"));
    }

    @Test
    void independenceDayOnAFridayClosesThursdayEarly() {
        List<Long> thursday = barsOn("2025-07-03");
        assertThat(thursday).hasSize(14);
        assertThat(thursday.get(13)).isEqualTo(utc("2025-07-03T16:45:00Z"));
        assertThat(barsOn("2025-07-04")).isEmpty();
        assertThat(XNYS.nextBarStart(thursday.get(13), BAR)).isEqualTo(utc("2025-07-07T13:30:00Z"));
    }

    @Test
    void independenceDayOnAThursdayClosedTheFridayAfterEarlyBefore2013() {
        assertThat(barsOn("2002-07-03")).hasSize(26);
        assertThat(barsOn("2002-07-04")).isEmpty();
        List<Long> friday = barsOn("2002-07-05");
        assertThat(friday).hasSize(14);
        assertThat(friday.get(13)).isEqualTo(utc("2002-07-05T16:45:00Z"));
    }

    @Test
    void independenceDayOnAThursdayClosesTheWednesdayBeforeEarlySince2013() {
        List<Long> wednesday = barsOn("2019-07-03");
        assertThat(wednesday).hasSize(14);
        assertThat(wednesday.get(13)).isEqualTo(utc("2019-07-03T16:45:00Z"));
        assertThat(barsOn("2019-07-04")).isEmpty();
        assertThat(barsOn("2019-07-05")).hasSize(26);
    }

    @Test
    void opensAt1330UtcInSummerTimeAnd1430InWinterTime() {
        // Spring forward on Sunday 2026-03-08.
        assertSession("2026-03-06", "2026-03-06T14:30:00Z", "2026-03-06T20:45:00Z");
        assertSession("2026-03-09", "2026-03-09T13:30:00Z", "2026-03-09T19:45:00Z");
        assertThat(XNYS.barStartsWithin(newYork("2026-03-06T15:45"), WEEK, BAR)).hasSize(130);
        // Fall back on Sunday 2026-11-01.
        assertSession("2026-10-30", "2026-10-30T13:30:00Z", "2026-10-30T19:45:00Z");
        assertSession("2026-11-02", "2026-11-02T14:30:00Z", "2026-11-02T20:45:00Z");
        // 168 real hours end at Friday 14:45 with the clocks an hour back; a week in New York
        // time ends at Friday 15:45, both ways round.
        long[] fallHours = XNYS.barStartsWithin(newYork("2026-10-30T15:45"), WEEK, BAR);
        assertThat(fallHours).hasSize(130 - 4);
        assertThat(fallHours[fallHours.length - 1]).isEqualTo(newYork("2026-11-06T14:45"));
        long[] fallWeek = XNYS.barStartsWithinDays(newYork("2026-10-30T15:45"), 7, BAR);
        assertThat(fallWeek).hasSize(130);
        assertThat(fallWeek[129]).isEqualTo(newYork("2026-11-06T15:45"));
        long[] springWeek = XNYS.barStartsWithinDays(newYork("2026-03-02T09:30"), 7, BAR);
        assertThat(springWeek).hasSize(130);
        assertThat(springWeek[129]).isEqualTo(newYork("2026-03-09T09:30"));
    }

    @Test
    void sessionOpenAndCloseFrameTheBarsSession() {
        long bar = newYork("2026-11-27T10:00");

        assertThat(XNYS.sessionOpen(bar)).isEqualTo(utc("2026-11-27T14:30:00Z"));
        assertThat(XNYS.sessionClose(bar)).isEqualTo(utc("2026-11-27T18:00:00Z"));
        assertThat(XNYS.sessionOpen(newYork("2026-03-16T15:45")))
                .isEqualTo(newYork("2026-03-16T09:30"));
        assertThat(XNYS.sessionClose(newYork("2026-03-16T09:30")))
                .isEqualTo(newYork("2026-03-16T16:00"));
    }

    @Test
    void sessionOpenRejectsATimeOutsideSessions() {
        assertThatThrownBy(() -> XNYS.sessionOpen(newYork("2026-03-14T12:00")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XNYS has no session at 2026-03-14T16:00:00Z");
        assertThatThrownBy(() -> XNYS.sessionClose(newYork("2026-03-16T16:00")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XNYS.sessionOpen(newYork("2026-11-26T12:00")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extraClosuresAndEarlyClosesTakeEffect() {
        RegularSession amended =
                RegularSession.xnys(
                        Set.of(LocalDate.parse("2026-03-18")),
                        Map.of(LocalDate.parse("2026-03-19"), LocalTime.of(12, 0)));

        assertThat(amended.name()).isEqualTo("XNYS");
        assertThat(amended.barStartsWithin(newYork("2026-03-16T09:30"), WEEK, BAR))
                .hasSize(130 - 26 - 16);
        assertThat(barsOn(amended, "2026-03-18")).isEmpty();
        List<Long> thursday = barsOn(amended, "2026-03-19");
        assertThat(thursday).hasSize(10);
        assertThat(amended.sessionClose(thursday.get(0))).isEqualTo(newYork("2026-03-19T12:00"));
        assertThat(barsOn("2026-03-18")).hasSize(26);
    }

    @Test
    void anExtraCloseAt1600UndoesARuleEarlyClose() {
        RegularSession corrected =
                RegularSession.xnys(
                        Set.of(), Map.of(LocalDate.parse("2026-11-27"), LocalTime.of(16, 0)));

        assertThat(barsOn(corrected, "2026-11-27")).hasSize(26);
    }

    @Test
    void rejectsContradictoryOrImpossibleAmendments() {
        LocalDate day = LocalDate.parse("2026-03-18");
        assertThatThrownBy(() -> RegularSession.xnys(Set.of(day), Map.of(day, LocalTime.NOON)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-03-18");
        assertThatThrownBy(() -> RegularSession.xnys(Set.of(), Map.of(day, LocalTime.of(17, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17:00");
        assertThatThrownBy(() -> RegularSession.xnys(Set.of(), Map.of(day, LocalTime.of(9, 30))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new RegularSession(
                                        "BAD", NEW_YORK, LocalTime.of(16, 0), LocalTime.of(9, 30)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSessionWithoutRulesTradesEveryWeekday() {
        RegularSession weekdays =
                new RegularSession("WEEKDAYS", NEW_YORK, LocalTime.of(9, 30), LocalTime.of(16, 0));

        assertThat(barsOn(weekdays, "2026-12-25")).hasSize(26);
        assertThat(barsOn(weekdays, "2026-12-26")).isEmpty();
        assertThat(weekdays.barStartsWithin(newYork("2026-11-23T09:30"), WEEK, BAR)).hasSize(130);
    }

    @Test
    void walkingTheWeekAgreesWithSteppingBarByBar() {
        SplittableRandom random = new SplittableRandom(42);
        long from = utc("2000-01-01T00:00:00Z");
        long to = utc("2035-12-24T00:00:00Z");
        for (int i = 0; i < 3_000; i++) {
            long asOf = from + random.nextLong((to - from) / BAR.toMillis()) * BAR.toMillis();
            long[] walked = XNYS.barStartsWithin(asOf, WEEK, BAR);

            long[] stepped =
                    LongStream.iterate(
                                    XNYS.nextBarStart(asOf, BAR),
                                    t -> t <= asOf + WEEK.toMillis(),
                                    t -> XNYS.nextBarStart(t, BAR))
                            .toArray();
            long[] gridBarStarts =
                    LongStream.iterate(
                                    asOf + BAR.toMillis(),
                                    t -> t <= asOf + WEEK.toMillis(),
                                    t -> t + BAR.toMillis())
                            .filter(t -> XNYS.isBarStart(t, BAR))
                            .toArray();
            assertThat(walked).as("as of %s", Instant.ofEpochMilli(asOf)).isEqualTo(stepped);
            assertThat(walked).as("as of %s", Instant.ofEpochMilli(asOf)).isEqualTo(gridBarStarts);
        }
    }

    @Test
    void worksTheSameAfterSerialization() throws IOException, ClassNotFoundException {
        RegularSession amended =
                RegularSession.xnys(
                        Set.of(LocalDate.parse("2026-03-18")),
                        Map.of(LocalDate.parse("2026-03-19"), LocalTime.of(12, 0)));
        long[] before = amended.barStartsWithin(newYork("2026-03-16T09:30"), WEEK, BAR);

        MarketCalendar copy = roundTrip(amended);

        assertThat(copy.name()).isEqualTo("XNYS");
        assertThat(copy.barStartsWithin(newYork("2026-03-16T09:30"), WEEK, BAR))
                .containsExactly(before);
        assertThat(roundTrip(XNYS).barStartsWithin(newYork("2026-11-23T09:30"), WEEK, BAR))
                .hasSize(92);
    }

    @Test
    void answersTheSameFromManyThreadsAtOnce() throws Exception {
        RegularSession fresh = (RegularSession) roundTrip(XNYS);
        List<Long> asOfs =
                LongStream.range(0, 52 * 7)
                        .mapToObj(day -> newYork("2026-01-01T09:30") + day * 86_400_000L)
                        .toList();
        long[][] expected =
                asOfs.stream()
                        .map(asOf -> XNYS.barStartsWithin(asOf, WEEK, BAR))
                        .toArray(long[][]::new);
        List<Callable<long[][]>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(
                    () ->
                            asOfs.stream()
                                    .map(asOf -> fresh.barStartsWithin(asOf, WEEK, BAR))
                                    .toArray(long[][]::new));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<long[][]> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isDeepEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSession(String day, String firstBar, String lastBar) {
        List<Long> bars = barsOn(day);
        assertThat(bars).as(day).hasSize(26);
        assertThat(bars.get(0)).as(day).isEqualTo(utc(firstBar));
        assertThat(bars.get(25)).as(day).isEqualTo(utc(lastBar));
        assertThat(XNYS.sessionOpen(bars.get(25))).as(day).isEqualTo(utc(firstBar));
    }

    private static List<Long> barsOn(String day) {
        return barsOn(XNYS, day);
    }

    /** The bar starts on a New York day. */
    private static List<Long> barsOn(MarketCalendar calendar, String day) {
        long start = LocalDate.parse(day).atStartOfDay(NEW_YORK).toInstant().toEpochMilli();
        long end =
                LocalDate.parse(day).plusDays(1).atStartOfDay(NEW_YORK).toInstant().toEpochMilli();
        return Arrays.stream(calendar.barStartsWithin(start - 1, Duration.ofDays(2), BAR))
                .filter(t -> t < end)
                .boxed()
                .toList();
    }

    private static MarketCalendar roundTrip(MarketCalendar calendar)
            throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(calendar);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (MarketCalendar) in.readObject();
        }
    }

    private static long newYork(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant().toEpochMilli();
    }

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
