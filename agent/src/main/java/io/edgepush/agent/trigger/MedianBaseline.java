package io.edgepush.agent.trigger;

import static io.edgepush.agent.trigger.BitstreamMotionDetector.BASELINE_CAPACITY;
import static io.edgepush.agent.trigger.BitstreamMotionDetector.BASELINE_WINDOW_MS;
import static io.edgepush.agent.trigger.BitstreamMotionDetector.LEARN_MS;

/**
 * The baseline of {@link BitstreamMotionDetector}: the median of the short levels (bytes per ms) sampled over the
 * last {@value BitstreamMotionDetector#BASELINE_WINDOW_MS} ms, at most
 * {@value BitstreamMotionDetector#BASELINE_CAPACITY} samples in a ring (oldest at {@code tail}). Samples are stamped
 * with the baseline's own clock, ms, which the detector {@link #advance advances} by the P pictures' spacing only
 * while not in motion, so time stands still during a motion and no pre-motion sample ages out then. The median is
 * recomputed only when the samples changed, by quickselect over a scratch array. Primitive arrays only: nothing is
 * allocated after construction. Not thread-safe.
 */
final class MedianBaseline {
    private final long[] sampleClockMs = new long[BASELINE_CAPACITY];
    private final double[] levels = new double[BASELINE_CAPACITY];
    private final double[] scratch = new double[BASELINE_CAPACITY];
    private int tail;
    private int count;
    private double median;
    private boolean stale;
    /** The baseline's own time, ms: decode time that stands still during a motion. Never goes back. */
    private long clockMs;

    /** Moves the baseline clock on by {@code ms}. */
    void advance(int ms) {
        clockMs += ms;
    }

    /** Drops the samples older than the window. */
    void expire() {
        while (count > 0 && sampleClockMs[tail] <= clockMs - BASELINE_WINDOW_MS) {
            tail = (tail + 1) % BASELINE_CAPACITY;
            count--;
            stale = true;
        }
    }

    /** True when there are no samples. */
    boolean isEmpty() {
        return count == 0;
    }

    /** True once the samples span at least {@value BitstreamMotionDetector#LEARN_MS} ms of the baseline clock. */
    boolean learnt() {
        return count > 0 && clockMs - sampleClockMs[tail] >= LEARN_MS;
    }

    /** Adds a short level, stamped now; the oldest sample makes room when the ring is full. */
    void add(double level) {
        if (count == BASELINE_CAPACITY) {
            tail = (tail + 1) % BASELINE_CAPACITY;
            count--;
        }
        int i = (tail + count) % BASELINE_CAPACITY;
        sampleClockMs[i] = clockMs;
        levels[i] = level;
        count++;
        stale = true;
    }

    /** The median of the samples, bytes per ms (of an even count, the mean of the two middle ones); 0 if none. */
    double median() {
        if (stale && count > 0) {
            for (int k = 0; k < count; k++) {
                scratch[k] = levels[(tail + k) % BASELINE_CAPACITY];
            }
            median = select(scratch, count, count / 2);
            if (count % 2 == 0) {
                double below = scratch[0];
                for (int k = 1; k < count / 2; k++) {
                    below = Math.max(below, scratch[k]);
                }
                median = (median + below) / 2;
            }
            stale = false;
        }
        return median;
    }

    /** Scales every sample and the median by {@code factor} (a bitrate step). */
    void scale(double factor) {
        for (int i = 0; i < BASELINE_CAPACITY; i++) {
            levels[i] *= factor;
        }
        median *= factor;
    }

    /** Forgets every sample (the clock runs on). */
    void clear() {
        count = 0;
        median = 0;
        stale = false;
    }

    /**
     * The {@code k}-th smallest of {@code a[0..n)} (quickselect, Hoare partition around the middle element);
     * reorders {@code a} so that {@code a[0..k)} are at most the result.
     */
    static double select(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
