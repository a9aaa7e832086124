package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.RetryPolicy;

/**
 * Turns a failure's {@link RetryPolicy} into the session's next step: a retry delay in milliseconds, or -1 to
 * give up (session state ERROR).
 *
 * <ul>
 *   <li>DO_NOT_RETRY: -1 at once (unknown app, credentials refused, TLS verification failed: retrying cannot
 *       help);</li>
 *   <li>RETRY_NOW: the backoff delay for this attempt;</li>
 *   <li>RETRY_AFTER_IDLE_TIMEOUT: when the next attempt goes to another URL, the backoff delay (that server holds
 *       no stale publish of ours); when it goes to the same URL, at least {@code serverIdleTimeoutMs}, so the
 *       server has dropped the stale publisher first (nginx-rtmp's {@code drop_idle_publisher} is off by
 *       default; servers that use it, and most CDN ingests, drop a silent publisher after about 10 s).</li>
 * </ul>
 * With auto-reconnect off, or when the backoff allows no more attempts, every policy gives -1.
 *
 * @param backoff             delays per attempt and the attempt cap
 * @param autoReconnect       false: never retry
 * @param serverIdleTimeoutMs how long a server keeps a publish whose connection went silent, milliseconds
 */
record RetryDelays(Backoff backoff, boolean autoReconnect, long serverIdleTimeoutMs) {

    /** Default server idle timeout: 10 s (DESIGN.md section 4). */
    static final long DEFAULT_SERVER_IDLE_TIMEOUT_MS = 10_000;

    /**
     * @param policy       what the failure allows
     * @param attempt      1-based number of this retry
     * @param sameUrlNext  true when the next attempt publishes to the URL that just failed
     * @return delay before the next attempt in milliseconds, or -1 to give up
     */
    long delayMs(RetryPolicy policy, int attempt, boolean sameUrlNext) {
        if (!autoReconnect || policy == RetryPolicy.DO_NOT_RETRY) {
            return -1;
        }
        long delay = backoff.delayMs(attempt);
        if (delay < 0 || policy == RetryPolicy.RETRY_NOW || !sameUrlNext) {
            return delay;
        }
        return Math.max(delay, serverIdleTimeoutMs);
    }
}
