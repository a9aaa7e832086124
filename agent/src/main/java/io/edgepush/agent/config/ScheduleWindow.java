package io.edgepush.agent.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One weekly window of a {@code "scheduled"} stream, as written in the config (issue 11 item 3):
 * {@code {"days": "mon-fri", "start": "08:00", "end": "18:00", "tz": "Europe/Berlin"}}.
 *
 * <p>On every listed day the window opens at {@code start} and closes at {@code end}, both local
 * wall-clock times in {@code zone}, the day being that local date in {@code zone}. A window whose
 * {@code end} is not after its {@code start} crosses midnight and belongs to the day it starts on:
 * {@code fri 22:00-06:00} is open from Friday 22:00 to Saturday 06:00, and not on Monday 00:00-06:00.
 * How these local times become instants (DST gaps and overlaps) is decided in
 * {@link io.edgepush.agent.trigger.WeeklySchedule}; DST is handled by java.time's
 * {@link java.time.zone.ZoneRules}.
 *
 * <p>{@code end} equal to {@link LocalTime#MIDNIGHT} (00:00) means the midnight that ends the day
 * ({@code 24:00} in the config): {@code 00:00-24:00} is the whole day, and {@code 22:00-00:00} is the
 * same window as {@code 22:00-24:00}.
 *
 * @param days  the days the window starts on, never empty; an unmodifiable {@link EnumSet}
 *              (iterates Monday first)
 * @param start local opening time in {@code zone}, inclusive
 * @param end   local closing time in {@code zone}, exclusive; {@code 00:00} = 24:00; a time not after
 *              {@code start} means the next day; equal to {@code start} only for {@code 00:00-24:00}
 * @param zone  time zone of {@code start} and {@code end}, e.g. {@code Europe/Berlin}
 */
public record ScheduleWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    private static final String DAYS_VALID =
            "valid: mon, tue, wed, thu, fri, sat, sun, ranges like mon-fri, lists like sat,sun, or daily";
    private static final String START_VALID = "valid: HH:MM in 24-hour time, 00:00..23:59";
    private static final String END_VALID =
            "valid: HH:MM in 24-hour time, 00:00..23:59, or 24:00 for the end of the day";
    private static final String TZ_VALID =
            "valid: an IANA time zone id like \"Europe/Berlin\" or \"America/New_York\", or \"UTC\"";
    private static final Pattern HH_MM = Pattern.compile("(\\d\\d):(\\d\\d)");
    private static final String[] DAY_NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    /**
     * Checks the components and makes {@code days} an unmodifiable copy.
     *
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if {@code days} is empty or the window is empty
     *                                  ({@code start == end} other than {@code 00:00-24:00})
     */
    public ScheduleWindow {
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(zone, "zone");
        EnumSet<DayOfWeek> copy = EnumSet.noneOf(DayOfWeek.class);
        copy.addAll(days);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("days: no day given (" + DAYS_VALID + ")");
        }
        if (start.equals(end) && !start.equals(LocalTime.MIDNIGHT)) {
            throw emptyWindow(start);
        }
        days = Collections.unmodifiableSet(copy);
    }

    /**
     * Parses the four config fields of a window.
     *
     * <ul>
     *   <li>{@code days}: {@code daily}, a day {@code mon}..{@code sun}, a range {@code mon-fri} (a
     *       range may wrap: {@code fri-mon} is fri, sat, sun, mon), or a comma list of these
     *       ({@code mon,wed-fri}); case-insensitive, spaces around commas and dashes tolerated.</li>
     *   <li>{@code start}: {@code HH:MM} in 24-hour time, {@code 00:00}..{@code 23:59}.</li>
     *   <li>{@code end}: the same, or {@code 24:00} for the end of the day; an end not after start
     *       crosses midnight; an end equal to start is an error (an empty window).</li>
     *   <li>{@code tz}: anything {@link ZoneId#of(String)} accepts, i.e. an IANA id like
     *       {@code Europe/Berlin}, or {@code UTC}.</li>
     * </ul>
     *
     * @throws IllegalArgumentException with a message that starts with the field's name
     *         ({@code days:}, {@code start:}, {@code end:}, {@code tz:}), says what is wrong and what
     *         is valid, e.g. {@code days: unknown day "mnday" (valid: mon, tue, ...)}; the config
     *         loader adds the JSON path
     */
    public static ScheduleWindow parse(String days, String start, String end, String tz) {
        Set<DayOfWeek> daySet = parseDays(days);
        LocalTime startTime = parseTime("start", start, false);
        LocalTime endTime = parseTime("end", end, true);
        if (startTime.equals(endTime) && !(startTime.equals(LocalTime.MIDNIGHT) && end.trim().equals("24:00"))) {
            throw emptyWindow(startTime);
        }
        return new ScheduleWindow(daySet, startTime, endTime, parseZone(tz));
    }

    /**
     * For logs, in the config's syntax: {@code mon-fri 08:00-18:00 Europe/Berlin},
     * {@code daily 22:00-06:00 UTC}, {@code sat,sun 00:00-24:00 Europe/Berlin}. An end of 00:00 is
     * written {@code 24:00}. The days are written in a canonical form (runs of three or more days as a
     * range), so {@code mon,tue,wed} reads {@code mon-wed}.
     */
    public String describe() {
        return describeDays(days) + " " + start + "-" + (end.equals(LocalTime.MIDNIGHT) ? "24:00" : end.toString())
                + " " + zone.getId();
    }

    /** Same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    /** Whether the window ends on the day after it starts (end not after start, or end 24:00). */
    public boolean crossesMidnight() {
        return !end.isAfter(start);
    }

    private static IllegalArgumentException emptyWindow(LocalTime at) {
        return new IllegalArgumentException("end: same as start (" + at
                + "), an empty window; for all day use 00:00-24:00");
    }

    private static Set<DayOfWeek> parseDays(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("days: missing (" + DAYS_VALID + ")");
        }
        EnumSet<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        for (String raw : text.split(",", -1)) {
            String item = raw.trim().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                throw new IllegalArgumentException("days: empty item in \"" + text + "\" (" + DAYS_VALID + ")");
            }
            if (item.equals("daily")) {
                set.addAll(EnumSet.allOf(DayOfWeek.class));
                continue;
            }
            int dash = item.indexOf('-');
            if (dash < 0) {
                set.add(day(item));
                continue;
            }
            String[] ends = item.split("-", -1);
            if (ends.length != 2 || ends[0].isBlank() || ends[1].isBlank()) {
                throw new IllegalArgumentException("days: bad range \"" + raw.trim()
                        + "\", expected two days like mon-fri (" + DAYS_VALID + ")");
            }
            DayOfWeek from = day(ends[0].trim());
            DayOfWeek to = day(ends[1].trim());
            if (from == to) {
                throw new IllegalArgumentException("days: range \"" + raw.trim() + "\" starts and ends on "
                        + DAY_NAMES[from.ordinal()] + "; write " + DAY_NAMES[from.ordinal()]
                        + " for one day or daily for every day");
            }
            for (DayOfWeek d = from; d != to; d = d.plus(1)) {
                set.add(d);
            }
            set.add(to);
        }
        return set;
    }

    private static DayOfWeek day(String name) {
        for (int i = 0; i < DAY_NAMES.length; i++) {
            if (DAY_NAMES[i].equals(name)) {
                return DayOfWeek.of(i + 1);
            }
        }
        throw new IllegalArgumentException("days: unknown day \"" + name + "\" (" + DAYS_VALID + ")");
    }

    private static LocalTime parseTime(String field, String text, boolean isEnd) {
        String valid = isEnd ? END_VALID : START_VALID;
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + ": missing (" + valid + ")");
        }
        String t = text.trim();
        Matcher m = HH_MM.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(field + ": expected HH:MM, got \"" + text + "\" (" + valid + ")");
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = Integer.parseInt(m.group(2));
        if (hour == 24 && minute == 0) {
            if (isEnd) {
                return LocalTime.MIDNIGHT;
            }
            throw new IllegalArgumentException(field + ": 24:00 is only valid as an end; a start at the"
                    + " beginning of the day is 00:00 (" + valid + ")");
        }
        if (hour > 23 || minute > 59) {
            throw new IllegalArgumentException(field + ": no such time \"" + text + "\" (" + valid + ")");
        }
        return LocalTime.of(hour, minute);
    }

    private static ZoneId parseZone(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("tz: missing (" + TZ_VALID + ")");
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("tz: unknown time zone \"" + text + "\" (" + TZ_VALID + ")", e);
        }
    }

    private static String describeDays(Set<DayOfWeek> days) {
        if (days.size() == 7) {
            return "daily";
        }
        List<String> parts = new ArrayList<>();
        for (DayOfWeek first : DayOfWeek.values()) {
            if (!days.contains(first) || days.contains(first.minus(1))) {
                continue; // not the first day of a run
            }
            DayOfWeek last = first;
            int length = 1;
            while (days.contains(last.plus(1))) {
                last = last.plus(1);
                length++;
            }
            String a = DAY_NAMES[first.ordinal()];
            String b = DAY_NAMES[last.ordinal()];
            parts.add(length == 1 ? a : length == 2 ? a + "," + b : a + "-" + b);
        }
        return String.join(",", parts);
    }
}
