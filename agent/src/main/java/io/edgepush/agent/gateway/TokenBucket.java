package io.edgepush.agent.gateway;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds at most {@code burst} tokens, starts full and gains {@code ratePerSec} tokens per second;
 * each {@link #tryTake()} takes one if there is one. Time comes from an injected monotonic nanosecond clock
 * ({@link System#nanoTime} in production). Thread-safe.
 */
final class TokenBucket {
    private static final double NANOS_PER_SEC = 1e9;

    private final double ratePerSec;
    private final int burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    /**
     * @param ratePerSec tokens gained per second (> 0)
     * @param burst      most tokens held, also the initial count (>= 1)
     * @param nanoClock  monotonic time, nanoseconds
     * @throws IllegalArgumentException on a non-positive rate or burst
     */
    TokenBucket(double ratePerSec, int burst, LongSupplier nanoClock) {
        if (!(ratePerSec > 0) || burst < 1) {
            throw new IllegalArgumentException("bad token bucket: rate " + ratePerSec + "/s, burst " + burst);
        }
        this.ratePerSec = ratePerSec;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** Takes a token; false (and nothing taken) when the bucket is empty. */
    synchronized boolean tryTake() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed / NANOS_PER_SEC * ratePerSec);
            lastNanos = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
