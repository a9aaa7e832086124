package io.edgepush.agent.trigger;

import static io.edgepush.agent.trigger.BitstreamMotionDetector.SHORT_CAPACITY;
import static io.edgepush.agent.trigger.BitstreamMotionDetector.SHORT_WINDOW_MS;

/**
 * The P pictures of {@link BitstreamMotionDetector}'s short window and onset look-back: a ring of the last
 * {@value BitstreamMotionDetector#SHORT_CAPACITY} P pictures (decode time in ms, slice bytes, spacing in ms to the
 * previous reference or key picture), newest at {@code head - 1}. Gives the short level, the time-weighted mean
 * rate of the last {@value BitstreamMotionDetector#SHORT_WINDOW_MS} ms in bytes per ms, and the motion's onset.
 * Primitive arrays only: nothing is allocated after construction. Not thread-safe.
 */
final class ShortWindow {
    private static final int MASK = SHORT_CAPACITY - 1;

    private final long[] dtsMs = new long[SHORT_CAPACITY];
    private final double[] bytes = new double[SHORT_CAPACITY];
    private final int[] spacingMs = new int[SHORT_CAPACITY];
    private int head;
    private int count;

    /** Adds a P picture: its decode time, its slice bytes and its spacing (1..1000 ms). */
    void add(long dtsMs, double bytes, int spacingMs) {
        this.dtsMs[head] = dtsMs;
        this.bytes[head] = bytes;
        this.spacingMs[head] = spacingMs;
        head = (head + 1) & MASK;
        count = Math.min(SHORT_CAPACITY, count + 1);
    }

    /**
     * Time-weighted mean rate of the P pictures of the short window ending at {@code dtsMs}, bytes per ms (sum of
     * bytes / sum of spacings; the newest picture always counts). Only after at least one {@link #add}.
     */
    double level(long dtsMs) {
        double sumBytes = 0;
        long ms = 0;
        for (int k = 1; k <= count; k++) {
            int i = (head - k) & MASK;
            if (k > 1 && this.dtsMs[i] <= dtsMs - SHORT_WINDOW_MS) {
                break;
            }
            sumBytes += bytes[i];
            ms += spacingMs[i];
        }
        return sumBytes / ms;
    }

    /**
     * The onset of a motion, ms: going back from the newest P picture, the decode time of the earliest one of the
     * run whose own rate is at least {@code threshold} bytes per ms (one lower picture inside the run is allowed;
     * the run ends at two in a row); the newest picture's decode time if none is.
     */
    long onset(double threshold) {
        long onset = dtsMs[(head - 1) & MASK];
        int lowInARow = 0;
        for (int k = 1; k <= count; k++) {
            int i = (head - k) & MASK;
            if (bytes[i] / spacingMs[i] >= threshold) {
                onset = dtsMs[i];
                lowInARow = 0;
            } else if (++lowInARow == 2) {
                break;
            }
        }
        return onset;
    }

    /** Scales the bytes of every picture by {@code factor} (a bitrate step). */
    void scale(double factor) {
        for (int i = 0; i < SHORT_CAPACITY; i++) {
            bytes[i] *= factor;
        }
    }

    /** Forgets every picture. */
    void clear() {
        count = 0;
    }
}
