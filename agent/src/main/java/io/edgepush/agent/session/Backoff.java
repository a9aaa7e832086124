package io.edgepush.agent.session;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Retry delays with exponential backoff and full jitter, and the retry budget. The ceiling for retry
 * {@code n} (1-based) is {@code initialDelayMs * 2^(n-1)}, capped at {@code maxDelayMs} (DESIGN.md section 4
 * defaults: 1 s doubling to 60 s); the delay itself is drawn uniformly between {@link #MIN_DELAY_MS} (or the
 * ceiling, if lower) and the ceiling, so a fleet that lost the same server does not come back in lockstep
 * ("full jitter"). After {@code maxAttempts} failed rounds of the URL list the retries are exhausted
 * ({@link RetryPlanner}).
 */
final class Backoff {
    /** No retry is sooner than this, milliseconds (unless the ceiling itself is lower). */
    public static final long MIN_DELAY_MS = 100;

    private final long initialDelayMs;
    private final long maxDelayMs;
    private final int maxAttempts;
    private final DoubleSupplier random;

    /** Backoff with jitter from {@link ThreadLocalRandom}; see {@link #Backoff(long, long, int, DoubleSupplier)}. */
    public Backoff(long initialDelayMs, long maxDelayMs, int maxAttempts) {
        this(initialDelayMs, maxDelayMs, maxAttempts, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param initialDelayMs ceiling of the first retry's delay, milliseconds (> 0)
     * @param maxDelayMs     upper bound of any delay, milliseconds (>= initialDelayMs)
     * @param maxAttempts    failed rounds allowed before the retries are exhausted (0 = none)
     * @param random         uniform values in [0, 1) for the jitter (tests pass a fixed one)
     * @throws IllegalArgumentException on a non-positive initial delay, a cap below it or negative attempts
     */
    public Backoff(long initialDelayMs, long maxDelayMs, int maxAttempts, DoubleSupplier random) {
        if (initialDelayMs <= 0 || maxDelayMs < initialDelayMs || maxAttempts < 0) {
            throw new IllegalArgumentException("bad backoff: initial " + initialDelayMs + " ms, max "
                    + maxDelayMs + " ms, attempts " + maxAttempts);
        }
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    /** Ceiling of retry {@code n}'s delay (1-based), milliseconds: the initial delay doubled n-1 times, capped. */
    public long ceilingMs(int n) {
        int shift = Math.min(Math.max(n, 1) - 1, 30);
        long delay = initialDelayMs << shift;
        return delay <= 0 || delay > maxDelayMs ? maxDelayMs : delay;
    }

    /** Delay before retry {@code n} (1-based), milliseconds: uniform in [min(100 ms, ceiling), ceiling]. */
    public long delayMs(int n) {
        long ceiling = ceilingMs(n);
        long floor = Math.min(MIN_DELAY_MS, ceiling);
        return floor + (long) (random.getAsDouble() * (ceiling - floor + 1));
    }

    /** True when failed round number {@code attempt} (1-based) still allows another try. */
    public boolean allows(int attempt) {
        return attempt >= 1 && attempt <= maxAttempts;
    }

    /** The longest delay, milliseconds ({@code streaming.max_retry_delay_ms}). */
    public long maxDelayMs() {
        return maxDelayMs;
    }

    /**
     * The wait before a probe once the retries are exhausted, milliseconds: uniform in [0.8, 1] x the longest delay,
     * so a fleet that lost the same server does not probe in lockstep.
     */
    public long probeDelayMs() {
        long floor = maxDelayMs - maxDelayMs / 5;
        return floor + (long) (random.getAsDouble() * (maxDelayMs - floor + 1));
    }

    /** The first retry's ceiling, milliseconds. */
    public long initialDelayMs() {
        return initialDelayMs;
    }
}
