package io.edgepush.agent.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.agent.config.ScheduleWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The union of weekly windows (issue 11 item 3). Every instant is written by hand with its offset
 * (CET +01:00, CEST +02:00, EST -05:00, EDT -04:00) or in UTC; nothing reads the clock.
 *
 * <p>2026 calendar used: 2026-06-01 is a Monday. DST in Europe/Berlin: 2026-03-29 01:00Z (02:00 CET
 * jumps to 03:00 CEST), 2026-10-25 01:00Z (03:00 CEST falls back to 02:00 CET). In America/New_York:
 * 2026-03-08 07:00Z (02:00 EST jumps to 03:00 EDT), 2026-11-01 06:00Z (02:00 EDT falls back to
 * 01:00 EST). All four are Sundays.
 */
class WeeklyScheduleTest {

    private static Instant t(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset).toInstant();
    }

    /** Each spec is {@code "days start-end tz"}, e.g. {@code "mon-fri 08:00-18:00 Europe/Berlin"}. */
    private static WeeklySchedule schedule(String... specs) {
        List<ScheduleWindow> windows = new ArrayList<>();
        for (String spec : specs) {
            String[] p = spec.split(" ");
            String[] times = p[1].split("-");
            windows.add(ScheduleWindow.parse(p[0], times[0], times[1], p[2]));
        }
        return new WeeklySchedule(windows);
    }

    /** The schedule opens exactly at {@code open}, closes exactly at {@code close}, {@code realLength} apart. */
    private static void assertOpen(WeeklySchedule s, String open, String close, Duration realLength) {
        Instant o = t(open);
        Instant c = t(close);
        assertEquals(realLength, Duration.between(o, c), "real length");
        assertFalse(s.isOpen(o.minusNanos(1)), "closed just before " + open);
        assertEquals(o, s.nextChange(o.minusSeconds(1)), "opens at " + open);
        assertTrue(s.isOpen(o), "open at " + open);
        assertTrue(s.isOpen(c.minusNanos(1)), "open just before " + close);
        assertEquals(c, s.nextChange(o), "closes at " + close);
        assertFalse(s.isOpen(c), "closed at " + close);
    }

    @Test
    void officeHoursBerlin() {
        WeeklySchedule s = schedule("mon-fri 08:00-18:00 Europe/Berlin");
        assertFalse(s.isOpen(t("2026-06-01T07:59:59+02:00")));
        assertTrue(s.isOpen(t("2026-06-01T08:00:00+02:00")));
        assertTrue(s.isOpen(t("2026-06-01T17:59:59+02:00")));
        assertFalse(s.isOpen(t("2026-06-01T18:00:00+02:00")));
        assertTrue(s.isOpen(t("2026-06-05T17:59:00+02:00"))); // Friday
        assertFalse(s.isOpen(t("2026-06-05T18:00:00+02:00")));
        assertFalse(s.isOpen(t("2026-06-06T12:00:00+02:00"))); // Saturday
        assertFalse(s.isOpen(t("2026-06-07T09:00:00+02:00"))); // Sunday
        assertFalse(s.isOpen(t("2026-06-01T05:59:59Z")));       // Berlin time: 07:59:59 CEST
        assertTrue(s.isOpen(t("2026-06-01T06:00:00Z")));        // 08:00 CEST
        // Winter: CET, +01:00.
        assertFalse(s.isOpen(t("2026-01-05T06:59:59Z")));
        assertTrue(s.isOpen(t("2026-01-05T07:00:00Z")));

        assertEquals(t("2026-06-01T08:00+02:00"), s.nextChange(t("2026-06-01T07:00+02:00")));
        assertEquals(t("2026-06-01T18:00+02:00"), s.nextChange(t("2026-06-01T08:00+02:00"))); // strictly after
        assertEquals(t("2026-06-01T18:00+02:00"), s.nextChange(t("2026-06-01T12:00+02:00")));
        assertEquals(t("2026-06-02T08:00+02:00"), s.nextChange(t("2026-06-01T18:00+02:00")));
        assertEquals(t("2026-06-08T08:00+02:00"), s.nextChange(t("2026-06-05T18:00+02:00"))); // weekend
        assertEquals(t("2026-06-08T08:00+02:00"), s.nextChange(t("2026-06-06T12:00+02:00")));
        assertOpen(s, "2026-06-03T08:00+02:00", "2026-06-03T18:00+02:00", Duration.ofHours(10));
    }

    @Test
    void bootInsideAWindowIsOpenAtOnce() {
        WeeklySchedule s = schedule("mon-fri 08:00-18:00 Europe/Berlin");
        Instant boot = t("2026-06-03T13:37:12.345+02:00"); // Wednesday afternoon
        assertTrue(s.isOpen(boot));
        assertEquals(t("2026-06-03T18:00+02:00"), s.nextChange(boot));
    }

    @Test
    void windowAcrossMidnightBelongsToItsStartDay() {
        WeeklySchedule s = schedule("fri 22:00-06:00 Europe/Berlin");
        assertFalse(s.isOpen(t("2026-06-05T21:59:59+02:00")));
        assertTrue(s.isOpen(t("2026-06-05T22:00+02:00")));
        assertTrue(s.isOpen(t("2026-06-06T00:00+02:00")));
        assertTrue(s.isOpen(t("2026-06-06T05:59+02:00")));
        assertFalse(s.isOpen(t("2026-06-06T06:00+02:00")));
        assertFalse(s.isOpen(t("2026-06-08T01:00+02:00"))); // Monday: not the end of a Sunday window
        assertFalse(s.isOpen(t("2026-06-07T01:00+02:00")));
        assertFalse(s.isOpen(t("2026-06-05T01:00+02:00")));
        assertEquals(t("2026-06-06T06:00+02:00"), s.nextChange(t("2026-06-05T23:00+02:00")));
        assertEquals(t("2026-06-12T22:00+02:00"), s.nextChange(t("2026-06-08T01:00+02:00")));
        assertEquals(t("2026-06-12T22:00+02:00"), s.nextChange(t("2026-06-06T06:00+02:00")));
        assertOpen(s, "2026-06-05T22:00+02:00", "2026-06-06T06:00+02:00", Duration.ofHours(8));

        // Every day, so Monday 01:00 is the end of Sunday's window.
        assertTrue(schedule("daily 22:00-06:00 Europe/Berlin").isOpen(t("2026-06-08T01:00+02:00")));

        // An end of 24:00 (or 00:00) is the midnight after the start day.
        WeeklySchedule sundayLate = schedule("sun 22:00-24:00 Europe/Berlin");
        assertOpen(sundayLate, "2026-06-07T22:00+02:00", "2026-06-08T00:00+02:00", Duration.ofHours(2));
        WeeklySchedule utc = schedule("sun 23:00-01:00 UTC");
        assertTrue(utc.isOpen(t("2026-06-08T00:30Z")));
        assertFalse(utc.isOpen(t("2026-06-01T00:30+02:00"))); // 2026-05-31T22:30Z, Sunday but before 23:00
    }

    @Test
    void berlinSpringForward() {
        // A start in the gap happens when the clock jumps over it: 01:00Z (02:00 CET = 03:00 CEST).
        assertOpen(schedule("sun 02:30-04:00 Europe/Berlin"),
                "2026-03-29T01:00Z", "2026-03-29T04:00+02:00", Duration.ofHours(1));
        // One week later it is an ordinary 1.5 h window at 02:30 CEST.
        assertEquals(t("2026-04-05T02:30+02:00"),
                schedule("sun 02:30-04:00 Europe/Berlin").nextChange(t("2026-03-29T04:00+02:00")));
        // Start in the gap, end after it: 03:00 to 03:15 CEST (ZonedDateTime.of's 03:30 would be after the end).
        assertOpen(schedule("sun 02:30-03:15 Europe/Berlin"),
                "2026-03-29T03:00+02:00", "2026-03-29T03:15+02:00", Duration.ofMinutes(15));
        // End in the gap: closes at the jump.
        assertOpen(schedule("sun 01:00-02:30 Europe/Berlin"),
                "2026-03-29T01:00+01:00", "2026-03-29T01:00Z", Duration.ofHours(1));
        // Wholly inside the gap: empty on that day, no change at the jump; open as usual the Sunday before and after.
        WeeklySchedule inGap = schedule("sun 02:10-02:50 Europe/Berlin");
        assertFalse(inGap.isOpen(t("2026-03-29T00:59:59Z")));
        assertFalse(inGap.isOpen(t("2026-03-29T01:00:00Z")));
        assertEquals(t("2026-04-05T02:10+02:00"), inGap.nextChange(t("2026-03-29T00:00+01:00")));
        assertOpen(inGap, "2026-03-22T02:10+01:00", "2026-03-22T02:50+01:00", Duration.ofMinutes(40));
        // Windows spanning the jump are an hour shorter in real time.
        assertOpen(schedule("sun 00:00-06:00 Europe/Berlin"),
                "2026-03-29T00:00+01:00", "2026-03-29T06:00+02:00", Duration.ofHours(5));
        assertOpen(schedule("sat 22:00-06:00 Europe/Berlin"),
                "2026-03-28T22:00+01:00", "2026-03-29T06:00+02:00", Duration.ofHours(7));
        assertOpen(schedule("sun 00:00-24:00 Europe/Berlin"),
                "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00", Duration.ofHours(23));
        // A window after the jump keeps its wall length.
        assertOpen(schedule("sun 08:00-18:00 Europe/Berlin"),
                "2026-03-29T08:00+02:00", "2026-03-29T18:00+02:00", Duration.ofHours(10));
    }

    @Test
    void berlinFallBack() {
        // A boundary in the overlap (02:00-03:00 twice) happens at its first occurrence, CEST.
        WeeklySchedule startInOverlap = schedule("sun 02:30-05:00 Europe/Berlin");
        assertOpen(startInOverlap, "2026-10-25T02:30+02:00", "2026-10-25T05:00+01:00", Duration.ofMinutes(210));
        assertTrue(startInOverlap.isOpen(t("2026-10-25T02:30+01:00"))); // second 02:30: still open
        WeeklySchedule endInOverlap = schedule("sun 00:00-02:30 Europe/Berlin");
        assertOpen(endInOverlap, "2026-10-25T00:00+02:00", "2026-10-25T02:30+02:00", Duration.ofMinutes(150));
        assertFalse(endInOverlap.isOpen(t("2026-10-25T02:00+01:00"))); // second pass: closed
        assertFalse(endInOverlap.isOpen(t("2026-10-25T02:45+01:00")));
        assertEquals(t("2026-11-01T00:00+01:00"), endInOverlap.nextChange(t("2026-10-25T02:15+01:00")));
        // 02:00-03:00 covers both passes of the repeated hour: 2 h.
        assertOpen(schedule("sun 02:00-03:00 Europe/Berlin"),
                "2026-10-25T02:00+02:00", "2026-10-25T03:00+01:00", Duration.ofHours(2));
        // Windows spanning the change are an hour longer in real time.
        assertOpen(schedule("sun 00:00-06:00 Europe/Berlin"),
                "2026-10-25T00:00+02:00", "2026-10-25T06:00+01:00", Duration.ofHours(7));
        assertOpen(schedule("sat 22:00-06:00 Europe/Berlin"),
                "2026-10-24T22:00+02:00", "2026-10-25T06:00+01:00", Duration.ofHours(9));
        assertOpen(schedule("sun 00:00-24:00 Europe/Berlin"),
                "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00", Duration.ofHours(25));
        assertOpen(schedule("sun 08:00-18:00 Europe/Berlin"),
                "2026-10-25T08:00+01:00", "2026-10-25T18:00+01:00", Duration.ofHours(10));
    }

    @Test
    void newYorkSpringForward() {
        // 02:00-03:00 is the whole gap: the window is empty that Sunday.
        WeeklySchedule gapHour = schedule("sun 02:00-03:00 America/New_York");
        assertFalse(gapHour.isOpen(t("2026-03-08T07:00Z")));
        assertFalse(gapHour.isOpen(t("2026-03-08T06:59:59Z")));
        assertEquals(t("2026-03-15T02:00-04:00"), gapHour.nextChange(t("2026-03-08T00:00-05:00")));
        assertOpen(gapHour, "2026-03-01T02:00-05:00", "2026-03-01T03:00-05:00", Duration.ofHours(1));
        assertOpen(schedule("sun 02:30-09:00 America/New_York"),
                "2026-03-08T07:00Z", "2026-03-08T09:00-04:00", Duration.ofHours(6));
        assertOpen(schedule("sun 00:00-24:00 America/New_York"),
                "2026-03-08T00:00-05:00", "2026-03-09T00:00-04:00", Duration.ofHours(23));
        assertOpen(schedule("sat 22:00-04:00 America/New_York"),
                "2026-03-07T22:00-05:00", "2026-03-08T04:00-04:00", Duration.ofHours(5));
    }

    @Test
    void newYorkFallBack() {
        // The overlap is 01:00-02:00 local; its first occurrence is EDT.
        WeeklySchedule startInOverlap = schedule("sun 01:30-03:00 America/New_York");
        assertOpen(startInOverlap, "2026-11-01T01:30-04:00", "2026-11-01T03:00-05:00", Duration.ofMinutes(150));
        assertTrue(startInOverlap.isOpen(t("2026-11-01T01:30-05:00")));
        WeeklySchedule endInOverlap = schedule("sun 00:00-01:30 America/New_York");
        assertOpen(endInOverlap, "2026-11-01T00:00-04:00", "2026-11-01T01:30-04:00", Duration.ofMinutes(90));
        assertFalse(endInOverlap.isOpen(t("2026-11-01T01:00-05:00")));
        assertFalse(endInOverlap.isOpen(t("2026-11-01T01:15-05:00")));
        assertOpen(schedule("sun 00:00-24:00 America/New_York"),
                "2026-11-01T00:00-04:00", "2026-11-02T00:00-05:00", Duration.ofHours(25));
        assertOpen(schedule("sat 20:00-08:00 America/New_York"),
                "2026-10-31T20:00-04:00", "2026-11-01T08:00-05:00", Duration.ofHours(13));
    }

    @Test
    void overlappingAndAdjacentWindowsMakeNoSpuriousChange() {
        WeeklySchedule monTue = schedule("mon 00:00-24:00 Europe/Berlin", "tue 00:00-24:00 Europe/Berlin");
        assertTrue(monTue.isOpen(t("2026-06-02T00:00+02:00")));
        assertEquals(t("2026-06-01T00:00+02:00"), monTue.nextChange(t("2026-05-31T12:00+02:00")));
        assertEquals(t("2026-06-03T00:00+02:00"), monTue.nextChange(t("2026-06-01T12:00+02:00")));

        WeeklySchedule nightAndMorning = schedule("daily 22:00-06:00 UTC", "daily 05:00-09:00 UTC");
        assertEquals(t("2026-06-02T09:00Z"), nightAndMorning.nextChange(t("2026-06-01T23:00Z")));
        assertEquals(t("2026-06-02T22:00Z"), nightAndMorning.nextChange(t("2026-06-02T09:00Z")));

        // Adjacent across zones: 08:00-12:00 Berlin is 06:00Z-10:00Z in June.
        WeeklySchedule zones = schedule("mon 08:00-12:00 Europe/Berlin", "mon 10:00-12:00 UTC");
        assertOpen(zones, "2026-06-01T06:00Z", "2026-06-01T12:00Z", Duration.ofHours(6));

        // Adjacent across midnight.
        assertOpen(schedule("fri 18:00-24:00 UTC", "sat 00:00-02:00 UTC"),
                "2026-06-05T18:00Z", "2026-06-06T02:00Z", Duration.ofHours(8));

        // Duplicates and a nested window.
        WeeklySchedule nested = schedule("mon-fri 08:00-18:00 Europe/Berlin", "mon-fri 08:00-18:00 Europe/Berlin",
                "wed 12:00-13:00 Europe/Berlin");
        assertEquals(t("2026-06-03T18:00+02:00"), nested.nextChange(t("2026-06-03T09:00+02:00")));

        // Overlapping pair, then a separate window.
        WeeklySchedule mornings = schedule("mon 08:00-10:00 UTC", "mon 09:00-11:00 UTC", "mon 12:00-13:00 UTC");
        assertEquals(t("2026-06-01T08:00Z"), mornings.nextChange(t("2026-06-01T07:00Z")));
        assertEquals(t("2026-06-01T11:00Z"), mornings.nextChange(t("2026-06-01T08:00Z")));
        assertEquals(t("2026-06-01T12:00Z"), mornings.nextChange(t("2026-06-01T11:00Z")));
        assertEquals(t("2026-06-01T13:00Z"), mornings.nextChange(t("2026-06-01T12:00Z")));
        assertEquals(t("2026-06-08T08:00Z"), mornings.nextChange(t("2026-06-01T13:00Z")));
    }

    @Test
    void alwaysOpenNeverChanges() {
        Instant[] probes = {t("2026-06-01T12:00Z"), t("2026-03-29T01:00Z"), t("2026-10-25T00:30Z"),
                t("2026-11-01T06:00Z"), t("2026-12-31T23:59:59Z")};
        List<WeeklySchedule> always = List.of(
                schedule("daily 00:00-24:00 Europe/Berlin"),
                schedule("mon 00:00-24:00 UTC", "tue 00:00-24:00 UTC", "wed 00:00-24:00 UTC",
                        "thu 00:00-24:00 UTC", "fri 00:00-24:00 UTC", "sat 00:00-24:00 UTC", "sun 00:00-24:00 UTC"),
                schedule("daily 00:00-12:00 America/New_York", "daily 12:00-24:00 America/New_York"),
                schedule("daily 22:00-06:00 Europe/Berlin", "daily 06:00-22:00 Europe/Berlin"));
        for (WeeklySchedule s : always) {
            for (Instant p : probes) {
                assertTrue(s.isOpen(p), s.describe() + " at " + p);
                assertNull(s.nextChange(p), s.describe() + " at " + p);
            }
        }
    }

    @Test
    void emptyScheduleIsNeverOpen() {
        WeeklySchedule none = new WeeklySchedule(List.of());
        assertFalse(none.isOpen(t("2026-06-01T12:00Z")));
        assertNull(none.nextChange(t("2026-06-01T12:00Z")));
        assertEquals("never (no windows)", none.describe());
    }

    /**
     * Walks every change from March to mid-November 2026 (all four DST changes) for a mixed
     * schedule: each change flips the state, changes strictly increase, and the state sampled every
     * 20 minutes between two changes stays the same.
     */
    @Test
    void changesAreRealFlipsAcrossTheDstSeason() {
        WeeklySchedule s = schedule("mon-fri 08:00-18:00 Europe/Berlin", "fri 22:00-06:00 Europe/Berlin",
                "sun 01:30-03:00 America/New_York", "sat,sun 02:30-02:45 Europe/Berlin",
                "wed 17:00-20:00 America/New_York");
        Instant at = t("2026-03-01T00:00Z");
        Instant end = t("2026-11-15T00:00Z");
        boolean open = s.isOpen(at);
        int changes = 0;
        while (at.isBefore(end)) {
            Instant next = s.nextChange(at);
            assertTrue(next.isAfter(at));
            for (Instant probe = at; probe.isBefore(next); probe = probe.plus(Duration.ofMinutes(20))) {
                assertEquals(open, s.isOpen(probe), "between " + at + " and " + next + " at " + probe);
            }
            assertEquals(open, s.isOpen(next.minusNanos(1)));
            assertNotEquals(open, s.isOpen(next), "a change at " + next);
            open = !open;
            at = next;
            changes++;
        }
        assertTrue(changes > 8 * 30, "changes: " + changes);
    }

    @Test
    void describeListsTheWindows() {
        assertEquals("mon-fri 08:00-18:00 Europe/Berlin; fri 22:00-06:00 UTC",
                schedule("mon-fri 08:00-18:00 Europe/Berlin", "fri 22:00-06:00 UTC").describe());
    }
}
