package io.edgepush.agent.chaos;

/** The chaos run's one clock: monotonic milliseconds ({@link System#nanoTime()}), for ordering and durations only. */
final class ChaosClock {
    private ChaosClock() {
    }

    /** Monotonic milliseconds since an arbitrary origin. */
    static long nowMs() {
        return System.nanoTime() / 1_000_000;
    }
}
