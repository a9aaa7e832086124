package io.edgepush.agent.trigger;

import static io.edgepush.agent.trigger.BitstreamMotionDetector.KEYFRAME_HISTORY;

/**
 * The keyframe level of {@link BitstreamMotionDetector}: the mean slice bytes of the last
 * {@value BitstreamMotionDetector#KEYFRAME_HISTORY} keyframes that fit it, and the pending bitrate step (the
 * direction and bytes of the previous keyframe that did not fit, waiting for the next to confirm it). The detector
 * decides what fits; this class only keeps the numbers. Primitive arrays only: nothing is allocated after
 * construction. Not thread-safe.
 */
final class KeyframeLevel {
    private final double[] bytes = new double[KEYFRAME_HISTORY];
    private int count;
    private int next;
    private double level;
    /** The previous keyframe's step against the level: +1 up, -1 down, 0 none; and its slice bytes. */
    private int stepDirection;
    private double stepBytes;

    /** True before the first keyframe (or since {@link #clear()}). */
    boolean isEmpty() {
        return count == 0;
    }

    /** The mean slice bytes of the keyframes in the level; 0 if none. */
    double level() {
        return level;
    }

    /** Adds a keyframe's slice bytes to the level, dropping the oldest beyond the history. */
    void add(double keyframeBytes) {
        bytes[next] = keyframeBytes;
        next = (next + 1) % KEYFRAME_HISTORY;
        count = Math.min(KEYFRAME_HISTORY, count + 1);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += bytes[i];
        }
        level = sum / count;
    }

    /** Starts the level again from this one keyframe; no step pending. */
    void restart(double keyframeBytes) {
        bytes[0] = keyframeBytes;
        next = 1 % KEYFRAME_HISTORY;
        count = 1;
        level = keyframeBytes;
        stepDirection = 0;
    }

    /** The pending step's direction: +1 up, -1 down, 0 none. */
    int stepDirection() {
        return stepDirection;
    }

    /** Remembers this keyframe's step (direction 0: none) for the next keyframe to confirm. */
    void noteStep(int direction, double keyframeBytes) {
        stepDirection = direction;
        stepBytes = keyframeBytes;
    }

    /** The factor of a confirmed step: the mean of this keyframe and the pending one, against the level. */
    double confirmedFactor(double keyframeBytes) {
        return (keyframeBytes + stepBytes) / 2 / level;
    }

    /** Forgets every keyframe and the pending step. */
    void clear() {
        count = 0;
        next = 0;
        level = 0;
        stepDirection = 0;
    }
}
