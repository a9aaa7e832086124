package io.edgepush.simulator.camera;

import io.edgepush.bridge.wire.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The motion events a simulated camera sends (PROTOCOL.md EVENT): MOTION_START at each given camera-clock time and
 * MOTION_END {@link #MOTION_LENGTH_SEC} seconds later, in time order. Not thread-safe (one camera's event loop).
 */
final class MotionSchedule {
    /** Seconds from MOTION_START to MOTION_END. */
    static final double MOTION_LENGTH_SEC = 2.0;

    private final List<Event> events;
    private int next;

    /** @param startsSec MOTION_START times, seconds since the camera started (>= 0) */
    MotionSchedule(List<Double> startsSec) {
        List<Event> all = new ArrayList<>();
        for (double s : startsSec) {
            long startUs = Math.round(s * 1_000_000);
            all.add(new Event(0, startUs, Event.MOTION_START, "simulated motion"));
            all.add(new Event(0, startUs + Math.round(MOTION_LENGTH_SEC * 1_000_000), Event.MOTION_END,
                    "simulated motion"));
        }
        all.sort(Comparator.comparingLong(Event::timestampUs));
        this.events = List.copyOf(all);
    }

    /** The events due at or before {@code nowUs} not returned before (each event is returned once). */
    List<Event> due(long nowUs) {
        int from = next;
        while (next < events.size() && events.get(next).timestampUs() <= nowUs) {
            next++;
        }
        return events.subList(from, next);
    }
}
