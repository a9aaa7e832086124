package io.edgepush.agent.config;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parsing of a {@code "schedule"} window (issue 11 item 3): every syntax, every error naming its field. */
class ScheduleWindowTest {

    private static final String DAYS_VALID =
            "(valid: mon, tue, wed, thu, fri, sat, sun, ranges like mon-fri, lists like sat,sun, or daily)";
    private static final String START_VALID = "(valid: HH:MM in 24-hour time, 00:00..23:59)";
    private static final String END_VALID =
            "(valid: HH:MM in 24-hour time, 00:00..23:59, or 24:00 for the end of the day)";
    private static final String TZ_VALID =
            "(valid: an IANA time zone id like \"Europe/Berlin\" or \"America/New_York\", or \"UTC\")";

    private static Set<DayOfWeek> days(String days) {
        return ScheduleWindow.parse(days, "08:00", "18:00", "UTC").days();
    }

    private static String error(String days, String start, String end, String tz) {
        return assertThrows(IllegalArgumentException.class, () -> ScheduleWindow.parse(days, start, end, tz))
                .getMessage();
    }

    @Test
    void officeHours() {
        ScheduleWindow w = ScheduleWindow.parse("mon-fri", "08:00", "18:00", "Europe/Berlin");
        assertEquals(EnumSet.of(MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY), w.days());
        assertEquals(LocalTime.of(8, 0), w.start());
        assertEquals(LocalTime.of(18, 0), w.end());
        assertEquals(ZoneId.of("Europe/Berlin"), w.zone());
        assertFalse(w.crossesMidnight());
        assertEquals("mon-fri 08:00-18:00 Europe/Berlin", w.describe());
        assertEquals(w.describe(), w.toString());
    }

    @Test
    void daySyntax() {
        assertEquals(EnumSet.allOf(DayOfWeek.class), days("daily"));
        assertEquals(EnumSet.of(MONDAY), days("mon"));
        assertEquals(EnumSet.of(SUNDAY), days("sun"));
        assertEquals(EnumSet.of(SATURDAY, SUNDAY), days("sat,sun"));
        assertEquals(EnumSet.of(TUESDAY, WEDNESDAY, THURSDAY), days("tue-thu"));
        // A wrapping range: fri-mon is fri, sat, sun, mon.
        assertEquals(EnumSet.of(FRIDAY, SATURDAY, SUNDAY, MONDAY), days("fri-mon"));
        assertEquals(EnumSet.of(SUNDAY, MONDAY), days("sun-mon"));
        assertEquals(EnumSet.complementOf(EnumSet.of(SATURDAY)), days("sun-fri"));
        assertEquals(EnumSet.of(MONDAY, WEDNESDAY, THURSDAY, FRIDAY), days("mon,wed-fri"));
        // Case-insensitive; spaces around commas and dashes; duplicates and overlaps are harmless.
        assertEquals(EnumSet.of(MONDAY, WEDNESDAY, THURSDAY, FRIDAY), days(" Mon , WED - fri "));
        assertEquals(EnumSet.of(MONDAY, TUESDAY, WEDNESDAY), days("mon-tue,tue-wed,mon"));
        assertEquals(EnumSet.allOf(DayOfWeek.class), days("DAILY"));
        assertEquals(EnumSet.allOf(DayOfWeek.class), days("mon,daily"));
    }

    @Test
    void timeSyntax() {
        ScheduleWindow allDay = ScheduleWindow.parse("daily", "00:00", "24:00", "UTC");
        assertEquals(LocalTime.MIDNIGHT, allDay.start());
        assertEquals(LocalTime.MIDNIGHT, allDay.end()); // 24:00 is held as 00:00 of the next day
        assertTrue(allDay.crossesMidnight());
        assertEquals("daily 00:00-24:00 UTC", allDay.describe());

        ScheduleWindow night = ScheduleWindow.parse("fri", "22:00", "06:00", "Europe/Berlin");
        assertEquals(LocalTime.of(22, 0), night.start());
        assertEquals(LocalTime.of(6, 0), night.end());
        assertTrue(night.crossesMidnight());
        assertEquals("fri 22:00-06:00 Europe/Berlin", night.describe());

        ScheduleWindow edges = ScheduleWindow.parse("sun", "00:00", "23:59", "UTC");
        assertEquals(LocalTime.of(23, 59), edges.end());
        assertFalse(edges.crossesMidnight());

        // 22:00-00:00 ends at the same midnight as 22:00-24:00: the same window.
        assertEquals(ScheduleWindow.parse("sat", "22:00", "24:00", "UTC"),
                ScheduleWindow.parse("sat", "22:00", "00:00", "UTC"));
        assertEquals("sat 22:00-24:00 UTC", ScheduleWindow.parse("sat", "22:00", "00:00", "UTC").describe());
        assertEquals(LocalTime.of(9, 5), ScheduleWindow.parse("sat", " 09:05 ", "10:00", "UTC").start());
    }

    @Test
    void zoneSyntax() {
        assertEquals(ZoneId.of("UTC"), ScheduleWindow.parse("mon", "08:00", "09:00", "UTC").zone());
        assertEquals(ZoneId.of("America/New_York"),
                ScheduleWindow.parse("mon", "08:00", "09:00", "America/New_York").zone());
        assertEquals(ZoneOffset.ofHours(2), ScheduleWindow.parse("mon", "08:00", "09:00", "+02:00").zone());
    }

    @Test
    void dayErrorsNameTheField() {
        assertEquals("days: unknown day \"mnday\" " + DAYS_VALID, error("mnday", "08:00", "18:00", "UTC"));
        assertEquals("days: unknown day \"monday\" " + DAYS_VALID, error("monday", "08:00", "18:00", "UTC"));
        assertEquals("days: unknown day \"frei\" " + DAYS_VALID, error("mon-frei", "08:00", "18:00", "UTC"));
        assertEquals("days: missing " + DAYS_VALID, error("", "08:00", "18:00", "UTC"));
        assertEquals("days: missing " + DAYS_VALID, error(null, "08:00", "18:00", "UTC"));
        assertEquals("days: empty item in \"mon,,fri\" " + DAYS_VALID, error("mon,,fri", "08:00", "18:00", "UTC"));
        assertEquals("days: empty item in \"mon,\" " + DAYS_VALID, error("mon,", "08:00", "18:00", "UTC"));
        assertEquals("days: bad range \"mon-\", expected two days like mon-fri " + DAYS_VALID,
                error("mon-", "08:00", "18:00", "UTC"));
        assertEquals("days: bad range \"mon-wed-fri\", expected two days like mon-fri " + DAYS_VALID,
                error("mon-wed-fri", "08:00", "18:00", "UTC"));
        assertEquals("days: range \"tue-tue\" starts and ends on tue; write tue for one day or daily for every day",
                error("tue-tue", "08:00", "18:00", "UTC"));
    }

    @Test
    void timeErrorsNameTheField() {
        assertEquals("start: expected HH:MM, got \"8:00\" " + START_VALID, error("mon", "8:00", "18:00", "UTC"));
        assertEquals("start: expected HH:MM, got \"08:00:00\" " + START_VALID,
                error("mon", "08:00:00", "18:00", "UTC"));
        assertEquals("start: expected HH:MM, got \"noon\" " + START_VALID, error("mon", "noon", "18:00", "UTC"));
        assertEquals("start: no such time \"12:60\" " + START_VALID, error("mon", "12:60", "18:00", "UTC"));
        assertEquals("start: no such time \"25:00\" " + START_VALID, error("mon", "25:00", "18:00", "UTC"));
        assertEquals("start: 24:00 is only valid as an end; a start at the beginning of the day is 00:00 "
                + START_VALID, error("mon", "24:00", "18:00", "UTC"));
        assertEquals("start: missing " + START_VALID, error("mon", null, "18:00", "UTC"));
        assertEquals("end: missing " + END_VALID, error("mon", "08:00", " ", "UTC"));
        assertEquals("end: no such time \"24:01\" " + END_VALID, error("mon", "08:00", "24:01", "UTC"));
        assertEquals("end: expected HH:MM, got \"6pm\" " + END_VALID, error("mon", "08:00", "6pm", "UTC"));
    }

    @Test
    void emptyWindowIsAnEndError() {
        assertEquals("end: same as start (08:00), an empty window; for all day use 00:00-24:00",
                error("mon", "08:00", "08:00", "UTC"));
        assertEquals("end: same as start (00:00), an empty window; for all day use 00:00-24:00",
                error("mon", "00:00", "00:00", "UTC"));
        assertThrows(IllegalArgumentException.class,
                () -> new ScheduleWindow(Set.of(MONDAY), LocalTime.NOON, LocalTime.NOON, ZoneOffset.UTC));
    }

    @Test
    void zoneErrorsNameTheField() {
        assertEquals("tz: unknown time zone \"Europe/Berln\" " + TZ_VALID, error("mon", "08:00", "18:00", "Europe/Berln"));
        assertEquals("tz: unknown time zone \"Berlin\" " + TZ_VALID, error("mon", "08:00", "18:00", "Berlin"));
        assertEquals("tz: missing " + TZ_VALID, error("mon", "08:00", "18:00", ""));
        assertEquals("tz: missing " + TZ_VALID, error("mon", "08:00", "18:00", null));
    }

    @Test
    void daysAreAnUnmodifiableCopy() {
        EnumSet<DayOfWeek> mine = EnumSet.of(MONDAY);
        ScheduleWindow w = new ScheduleWindow(mine, LocalTime.of(8, 0), LocalTime.of(9, 0), ZoneOffset.UTC);
        mine.add(TUESDAY);
        assertEquals(EnumSet.of(MONDAY), w.days());
        assertThrows(UnsupportedOperationException.class, () -> w.days().add(FRIDAY));
        assertEquals("days: no day given " + DAYS_VALID, assertThrows(IllegalArgumentException.class,
                () -> new ScheduleWindow(Set.of(), LocalTime.of(8, 0), LocalTime.of(9, 0), ZoneOffset.UTC))
                .getMessage());
    }

    @Test
    void describeWritesDaysCanonicallyAndParsesBack() {
        assertEquals("daily", describeDays("mon-sun"));
        assertEquals("mon-wed", describeDays("mon,tue,wed"));
        assertEquals("sat,sun", describeDays("sun,sat"));
        assertEquals("fri-mon", describeDays("fri-mon"));
        assertEquals("tue,thu", describeDays("thu,tue"));
        assertEquals("wed-fri,sun,mon", describeDays("mon,wed-fri,sun"));
        for (String days : new String[] {"mon", "sat,sun", "fri-mon", "mon,wed-fri,sun", "sun-fri", "tue,thu,sat"}) {
            ScheduleWindow w = ScheduleWindow.parse(days, "22:00", "06:00", "America/New_York");
            String[] parts = w.describe().split(" ");
            String[] times = parts[1].split("-");
            assertEquals(w, ScheduleWindow.parse(parts[0], times[0], times[1], parts[2]), w.describe());
        }
    }

    private static String describeDays(String days) {
        return ScheduleWindow.parse(days, "08:00", "18:00", "UTC").describe().split(" ")[0];
    }
}
