package io.edgepush.agent.stream;

/**
 * The stream's timeline: turns a source's decode times (a camera's capture clock, milliseconds) into the
 * timestamps a stream writes, so that one stream, from a start to a stop, never goes back in time whatever happens
 * underneath (a new publish after a reconnect, buffered frames sent again, a camera that comes back with its clock
 * restarted). Pure: the caller passes the wall clock.
 * <ul>
 *   <li>A new timeline ({@link #restart()}) maps its first frame to 0; later frames keep their source spacing
 *       (stream = source + offset), so buffered frames keep their original relative timestamps.</li>
 *   <li>A frame that would not move forward (frames of the buffered GOP sent again on a new publish) re-anchors the
 *       timeline one frame interval after the last timestamp written; the frames after it keep their spacing.</li>
 *   <li>When the source's clock cannot be trusted to continue ({@link #sourceRestarted}: a camera reconnected),
 *       the next frame is placed after the wall-clock time away (at least one frame interval) and the source
 *       spacing resumes from it.</li>
 * </ul>
 * Timestamps are returned as FLV/RTMP's unsigned 32-bit milliseconds (an int that wraps after 49.7 days).
 */
final class Timeline {
    private final long frameIntervalMs;
    private boolean anchored;
    private boolean written;
    private long offsetMs;
    private long lastMs;
    private long lastWrittenAtMs;
    private long firstMs;

    /** @param frameIntervalMs the nominal frame spacing (1000 / fps), at least 1, the least step after a gap */
    Timeline(long frameIntervalMs) {
        this.frameIntervalMs = Math.max(1, frameIntervalMs);
    }

    /**
     * Starts a new timeline: the next frame gets {@code firstMs} (0 for a start; unsigned 32 bit, so a value past
     * 2^31 continues across the wrap).
     */
    void restart(int firstMs) {
        anchored = false;
        written = false;
        this.firstMs = Integer.toUnsignedLong(firstMs);
        lastMs = this.firstMs;
    }

    /** The source's clock restarted (or may have): the next frame continues after the wall-clock time away. */
    void sourceRestarted() {
        anchored = false;
    }

    /**
     * The timestamp for a frame about to be written, recorded as the last one.
     *
     * @param sourceDtsMs the frame's decode time on the source clock, milliseconds
     * @param nowMs the wall clock (any monotonic milliseconds), for the time away after a source restart
     * @return the stream decode timestamp, milliseconds, never smaller than the previous one
     */
    int next(long sourceDtsMs, long nowMs) {
        if (!anchored) {
            offsetMs = written ? lastMs + Math.max(frameIntervalMs, nowMs - lastWrittenAtMs) - sourceDtsMs
                    : firstMs - sourceDtsMs;
            anchored = true;
        }
        long ts = sourceDtsMs + offsetMs;
        if (written && ts <= lastMs) {
            offsetMs = lastMs + frameIntervalMs - sourceDtsMs;
            ts = lastMs + frameIntervalMs;
        }
        lastMs = ts;
        lastWrittenAtMs = nowMs;
        written = true;
        return (int) ts;
    }

    /** The last timestamp returned by {@link #next} (the first timestamp before any). */
    int lastMs() {
        return (int) lastMs;
    }

    /** True once a frame was written on this timeline. */
    boolean written() {
        return written;
    }

    /** The nominal frame spacing, milliseconds. */
    long frameIntervalMs() {
        return frameIntervalMs;
    }
}
