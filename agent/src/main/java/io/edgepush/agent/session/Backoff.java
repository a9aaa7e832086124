package io.edgepush.agent.session;

/**
 * Retry delays for reconnecting: {@code initialDelayMs} doubling per attempt up to {@code maxDelayMs}
 * (DESIGN.md section 4 defaults: 1 s doubling to 60 s), and a cap on attempts after which the session
 * gives up.
 */
public final class Backoff {
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final int maxAttempts;

    /**
     * @param initialDelayMs delay before the first retry, in milliseconds (> 0)
     * @param maxDelayMs upper bound of any delay, in milliseconds
     * @param maxAttempts retries allowed before giving up (0 = never retry)
     */
    public Backoff(long initialDelayMs, long maxDelayMs, int maxAttempts) {
        if (initialDelayMs <= 0 || maxDelayMs < initialDelayMs || maxAttempts < 0) {
            throw new IllegalArgumentException("bad backoff: initial " + initialDelayMs + " ms, max "
                    + maxDelayMs + " ms, attempts " + maxAttempts);
        }
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Delay before retry number {@code attempt} (1-based), in milliseconds, or -1 when {@code attempt}
     * exceeds the allowed number of attempts.
     */
    public long delayMs(int attempt) {
        if (attempt < 1 || attempt > maxAttempts) {
            return -1;
        }
        int shift = Math.min(attempt - 1, 30);
        long delay = initialDelayMs << shift;
        return delay <= 0 || delay > maxDelayMs ? maxDelayMs : delay;
    }
}
