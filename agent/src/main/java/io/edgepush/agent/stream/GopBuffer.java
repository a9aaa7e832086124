package io.edgepush.agent.stream;

import io.edgepush.protocol.media.AccessUnit;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The access units of one stream since its latest keyframe (and, with a pre-roll, whole GOPs from up to
 * {@code preRollMs} before the newest frame), so a new publish starts at once from a keyframe instead of waiting
 * for the camera's next one, and no frame received after the camera's first keyframe is lost because a publish was
 * not up yet.
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
    private long bytes;
    private int keyframes;

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
        if (units.isEmpty() && !au.keyframe()) {
            au.release();
            return;
        }
        units.addLast(au);
        bytes += au.sizeBytes();
        if (au.keyframe()) {
            keyframes++;
        }
        long newestDtsMs = au.dtsMs();
        while (keyframes > 1 && units.peekFirst().dtsMs() < newestDtsMs - preRollMs) {
            dropOldestGop();
        }
        while (!units.isEmpty() && (bytes > maxBytes || newestDtsMs - units.peekFirst().dtsMs() > maxMs)) {
            dropOldestGop();
        }
    }

    /** True when a publish can start from the buffer (it holds a keyframe). */
    boolean hasKeyframe() {
        return keyframes > 0;
    }

    /**
     * Lends the buffered access units in decoding order to {@code action}.
     *
     * @param latestGopOnly true: from the latest keyframe on; false: from the oldest buffered keyframe (pre-roll)
     */
    void forEach(boolean latestGopOnly, Consumer<AccessUnit> action) {
        int skipKeyframes = latestGopOnly ? keyframes - 1 : 0;
        boolean sending = false;
        for (Iterator<AccessUnit> it = units.iterator(); it.hasNext(); ) {
            AccessUnit au = it.next();
            if (!sending && au.keyframe()) {
                sending = skipKeyframes-- <= 0;
            }
            if (sending) {
                action.accept(au);
            }
        }
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
        keyframes = 0;
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
            keyframes--;
        }
        au.release();
    }
}
