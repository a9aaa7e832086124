package io.edgepush.agent.stream;

import io.edgepush.protocol.media.AccessUnit;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The access units of one stream since its latest keyframe (and, with a pre-roll, whole GOPs from up to
 * {@code preRollMs} before the newest frame), so a new publish starts at once from a keyframe instead of waiting
 * for the camera's next one, and no frame received after the camera's first keyframe is lost because a publish was
 * not up yet.
 *
 * <p>Frames not yet sent can be protected ({@link #protectFrom}): their GOPs stay even past the pre-roll, so a
 * publish that comes up after the camera's next keyframe still starts where the stream left off. An access unit
 * whose decode time goes back or whose codec differs (another camera clock) empties the buffer first.
 *
 * <p>Invariant: the buffer is empty or starts at a keyframe. Bounds, checked on every {@link #add}: at most
 * {@code maxBytes} of NAL unit bytes and {@code maxMs} between the oldest and the newest decode time; past either,
 * the oldest frames go, and with them the rest of their GOP (frames without their keyframe cannot be decoded). A
 * single GOP larger than the bounds therefore leaves the buffer empty until the next keyframe, whatever the camera
 * sends.
 *
 * <p>Ownership: {@link #add} takes the access unit; {@link #forEach} lends them; evicted ones are released at
 * once. Not thread-safe: the {@link StreamOutput} that owns it serialises access.
 */
final class GopBuffer {
    private final long maxBytes;
    private final long maxMs;
    private final long preRollMs;
    private final ArrayDeque<AccessUnit> units = new ArrayDeque<>();
    private final ArrayDeque<Long> keyframeDtsMs = new ArrayDeque<>();
    private long bytes;
    private long protectFromDtsMs = Long.MAX_VALUE;

    /**
     * @param maxBytes  most NAL unit bytes held, at least 1
     * @param maxMs     longest span of decode times held, milliseconds
     * @param preRollMs whole GOPs kept before the latest keyframe while they start no earlier than this many
     *                  milliseconds before the newest frame (0: only the latest GOP)
     */
    GopBuffer(long maxBytes, long maxMs, long preRollMs) {
        this.maxBytes = Math.max(1, maxBytes);
        this.maxMs = Math.max(0, maxMs);
        this.preRollMs = Math.max(0, preRollMs);
    }

    /** Adds the newest access unit (TAKES OWNERSHIP); a non-keyframe that has no keyframe before it is released. */
    void add(AccessUnit au) {
        AccessUnit newest = units.peekLast();
        if (newest != null && (au.dtsMs() < newest.dtsMs() || au.codec() != newest.codec())) {
            clear(); // another clock or codec: what is held cannot continue into it
        }
        if (units.isEmpty() && !au.keyframe()) {
            au.release();
            return;
        }
        units.addLast(au);
        bytes += au.sizeBytes();
        if (au.keyframe()) {
            keyframeDtsMs.addLast(au.dtsMs());
        }
        long newestDtsMs = au.dtsMs();
        while (keyframeDtsMs.size() > 1 && units.peekFirst().dtsMs() < newestDtsMs - preRollMs
                && secondKeyframeDtsMs() <= protectFromDtsMs) {
            dropOldestGop();
        }
        while (!units.isEmpty() && (bytes > maxBytes || newestDtsMs - units.peekFirst().dtsMs() > maxMs)) {
            dropOldestGop();
        }
    }

    /** True when a publish can start from the buffer (it holds a keyframe). */
    boolean hasKeyframe() {
        return !keyframeDtsMs.isEmpty();
    }

    /** Decode time of the latest buffered keyframe, or {@link Long#MIN_VALUE} when none is held. */
    long latestKeyframeDtsMs() {
        return keyframeDtsMs.isEmpty() ? Long.MIN_VALUE : keyframeDtsMs.peekLast();
    }

    /**
     * Where a pre-roll for an event at decode time {@code eventDtsMs} starts (DESIGN.md section 4: the buffered
     * whole GOPs from up to {@code preRollMs} before the event): the oldest buffered keyframe within
     * [{@code eventDtsMs - preRollMs}, {@code eventDtsMs}]; when no keyframe falls in that span, the GOP holding the
     * event (the latest keyframe before it), so the viewer still sees what moved; when every buffered keyframe is
     * after the event, the oldest one; {@link Long#MIN_VALUE} when none is buffered.
     */
    long preRollStartDtsMs(long eventDtsMs, long preRollMs) {
        long earliest = eventDtsMs - Math.max(0, preRollMs);
        long before = Long.MIN_VALUE;
        for (long k : keyframeDtsMs) {
            if (k >= earliest && k <= eventDtsMs) {
                return k;
            }
            if (k < earliest) {
                before = k;
            }
        }
        if (before != Long.MIN_VALUE) {
            return before;
        }
        return keyframeDtsMs.isEmpty() ? Long.MIN_VALUE : keyframeDtsMs.peekFirst();
    }

    /**
     * Keeps every GOP that holds a frame with decode time {@code >= dtsMs} (frames not yet sent), whatever the
     * pre-roll says; only the byte and time bounds still apply. {@link Long#MAX_VALUE} protects nothing.
     */
    void protectFrom(long dtsMs) {
        protectFromDtsMs = dtsMs;
    }

    /** Lends, in decoding order, the GOP holding decode time {@code dtsMs} and everything after it. */
    void forEachFrom(long dtsMs, Consumer<AccessUnit> action) {
        long startKeyframe = Long.MIN_VALUE;
        for (long k : keyframeDtsMs) {
            if (k <= dtsMs) {
                startKeyframe = k;
            }
        }
        for (AccessUnit au : units) {
            if (au.dtsMs() >= startKeyframe) {
                action.accept(au);
            }
        }
    }

    /** How many access units {@link #forEachFrom}{@code (dtsMs, ...)} would lend. */
    int countFrom(long dtsMs) {
        long startKeyframe = Long.MIN_VALUE;
        for (long k : keyframeDtsMs) {
            if (k <= dtsMs) {
                startKeyframe = k;
            }
        }
        int n = 0;
        for (AccessUnit au : units) {
            if (au.dtsMs() >= startKeyframe) {
                n++;
            }
        }
        return n;
    }

    /**
     * Lends the buffered access units in decoding order to {@code action}.
     *
     * @param latestGopOnly true: from the latest keyframe on; false: from the oldest buffered keyframe (pre-roll)
     */
    void forEach(boolean latestGopOnly, Consumer<AccessUnit> action) {
        forEachFrom(latestGopOnly ? latestKeyframeDtsMs() : Long.MIN_VALUE, action);
    }

    /** Decode time of the newest access unit held, or {@link Long#MIN_VALUE} when empty. */
    long newestDtsMs() {
        return units.isEmpty() ? Long.MIN_VALUE : units.peekLast().dtsMs();
    }

    /** Access units held. */
    int size() {
        return units.size();
    }

    /** NAL unit bytes held. */
    long bytes() {
        return bytes;
    }

    /** Decode-time span held, milliseconds (newest minus oldest; 0 when empty or one frame). */
    long spanMs() {
        return units.isEmpty() ? 0 : units.peekLast().dtsMs() - units.peekFirst().dtsMs();
    }

    /** Releases everything held. */
    void clear() {
        AccessUnit au;
        while ((au = units.pollFirst()) != null) {
            au.release();
        }
        bytes = 0;
        keyframeDtsMs.clear();
    }

    private long secondKeyframeDtsMs() {
        java.util.Iterator<Long> it = keyframeDtsMs.iterator();
        it.next();
        return it.next();
    }

    /** Removes the oldest keyframe and every frame up to the next keyframe. */
    private void dropOldestGop() {
        removeFirst();
        while (!units.isEmpty() && !units.peekFirst().keyframe()) {
            removeFirst();
        }
    }

    private void removeFirst() {
        AccessUnit au = units.pollFirst();
        bytes -= au.sizeBytes();
        if (au.keyframe()) {
            keyframeDtsMs.pollFirst();
        }
        au.release();
    }
}
