package io.edgepush.agent.trigger;

import io.edgepush.agent.config.ScheduleWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * When a {@code "scheduled"} stream runs: the union of its weekly {@link ScheduleWindow}s (issue 11
 * item 3). A stream starts when the schedule opens and stops when it closes; a gateway that boots
 * inside a window starts at once ({@link #isOpen(Instant)} at boot). Time is passed in as an
 * {@link Instant} (from an injectable {@link java.time.Clock}); this class never reads the clock and
 * is immutable and thread-safe.
 *
 * <p>Rules, DST handled by java.time's {@link java.time.zone.ZoneRules} of each window's zone:
 * <ul>
 *   <li>A window on a day is defined by that day's local date in the window's zone: {@code mon 08:00}
 *       in {@code Europe/Berlin} is 08:00 on a Monday on a Berlin wall clock. Each window is the
 *       half-open interval [start, end): open at the start instant, closed at the end instant.</li>
 *   <li>A window whose end is not after its start (e.g. {@code 22:00-06:00}, or an end of 24:00)
 *       crosses midnight and belongs to the day it starts on: {@code fri 22:00-06:00} is open from
 *       Friday 22:00 to Saturday 06:00, not on Monday 00:00-06:00.</li>
 *   <li>A boundary at a local time that does not exist (spring-forward gap, e.g. 02:30 on 2026-03-29
 *       in Europe/Berlin) happens at the instant the clock jumps over it, the gap's transition instant
 *       (2026-03-29T01:00Z, when 02:00 CET becomes 03:00 CEST). Note that this is not
 *       {@link ZonedDateTime#of}'s resolution, which shifts 02:30 forward by the gap's length to 03:30
 *       CEST (01:30Z): that would turn a {@code 02:30-03:15} window inverted (end before start),
 *       whereas the transition instant keeps local-to-instant monotonic: that window is open 01:00Z to
 *       01:15Z, and a window wholly inside the gap ({@code 02:10-02:50}) is empty on that day.</li>
 *   <li>A boundary at an ambiguous local time (fall-back overlap, e.g. 02:30 on 2026-10-25 in
 *       Europe/Berlin) happens at its first occurrence, with the earlier (summer) offset:
 *       02:30 CEST = 00:30Z ({@link ZonedDateTime#of}'s default).</li>
 *   <li>Window lengths are therefore wall-clock lengths: {@code 08:00-18:00} is 10 h of wall time;
 *       {@code 00:00-06:00} on the spring-forward day is 5 h of real time, on the fall-back day 7 h.</li>
 *   <li>Windows may overlap or touch; only the union matters, so {@code mon 00:00-24:00} plus
 *       {@code tue 00:00-24:00} is one stretch from Monday 00:00 to Wednesday 00:00.</li>
 * </ul>
 */
public final class WeeklySchedule {

    /** How far {@link #nextChange} looks; a weekly schedule constant for this long never changes. */
    static final Duration HORIZON = Duration.ofDays(8);

    private final List<ScheduleWindow> windows;

    /**
     * @param windows the windows whose union is open, possibly empty (then never open); copied
     * @throws NullPointerException if {@code windows} or one of them is null
     */
    public WeeklySchedule(List<ScheduleWindow> windows) {
        this.windows = List.copyOf(windows);
    }

    /** The windows, unmodifiable, in the order given. */
    public List<ScheduleWindow> windows() {
        return windows;
    }

    /**
     * Whether {@code now} is inside at least one window (start inclusive, end exclusive).
     *
     * @param now the instant to test, e.g. {@code clock.instant()}
     */
    public boolean isOpen(Instant now) {
        Objects.requireNonNull(now, "now");
        for (ScheduleWindow w : windows) {
            LocalDate today = now.atZone(w.zone()).toLocalDate();
            // A window reaches at most into the day after its start day (end <= 24:00 of that day).
            for (LocalDate day = today.minusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
                if (w.days().contains(day.getDayOfWeek())
                        && !now.isBefore(startOn(w, day)) && now.isBefore(endOn(w, day))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The first instant strictly after {@code now} at which {@link #isOpen} flips (open to closed or
     * closed to open). Boundaries of windows that overlap or touch another window are not changes.
     *
     * <p>Looks 8 days ahead (all window boundaries from the day before {@code now} on, in each
     * window's zone). If the state does not change within that time the schedule is open all the
     * time (e.g. {@code daily 00:00-24:00}) or has no windows, and this returns null; a weekly
     * schedule constant for more than a week stays so (barring a future change of a zone's rules).
     *
     * @param now the instant to search from, e.g. {@code clock.instant()}
     * @return the next change, strictly after {@code now}, or null if it never changes
     */
    public Instant nextChange(Instant now) {
        Objects.requireNonNull(now, "now");
        Instant horizon = now.plus(HORIZON);
        TreeSet<Instant> boundaries = new TreeSet<>();
        for (ScheduleWindow w : windows) {
            LocalDate today = now.atZone(w.zone()).toLocalDate();
            // Days D-2..D+10 hold every boundary in (now, now + 8 days], even across DST changes.
            for (LocalDate day = today.minusDays(2); !day.isAfter(today.plusDays(10)); day = day.plusDays(1)) {
                if (w.days().contains(day.getDayOfWeek())) {
                    addIfWithin(boundaries, startOn(w, day), now, horizon);
                    addIfWithin(boundaries, endOn(w, day), now, horizon);
                }
            }
        }
        // isOpen is constant between consecutive boundaries, so the first boundary where it differs
        // from the state at now is the change.
        boolean open = isOpen(now);
        for (Instant b : boundaries) {
            if (isOpen(b) != open) {
                return b;
            }
        }
        return null;
    }

    /**
     * For logs: the windows' {@link ScheduleWindow#describe()} joined by {@code "; "}, e.g.
     * {@code mon-fri 08:00-18:00 Europe/Berlin; sat,sun 10:00-14:00 Europe/Berlin}, or
     * {@code never (no windows)}.
     */
    public String describe() {
        if (windows.isEmpty()) {
            return "never (no windows)";
        }
        return windows.stream().map(ScheduleWindow::describe).collect(Collectors.joining("; "));
    }

    /** Same as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    private static void addIfWithin(TreeSet<Instant> set, Instant t, Instant after, Instant notAfter) {
        if (t.isAfter(after) && !t.isAfter(notAfter)) {
            set.add(t);
        }
    }

    private static Instant startOn(ScheduleWindow w, LocalDate day) {
        return instant(day.atTime(w.start()), w.zone());
    }

    private static Instant endOn(ScheduleWindow w, LocalDate day) {
        LocalDate endDay = w.crossesMidnight() ? day.plusDays(1) : day;
        return instant(endDay.atTime(w.end()), w.zone());
    }

    /**
     * A local time in {@code zone} as an instant: in a gap, the instant of the transition (when the
     * clock jumps over it); in an overlap, the first occurrence (earlier offset).
     */
    private static Instant instant(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.of(local, zone).toInstant(); // overlap: earlier offset
    }
}
