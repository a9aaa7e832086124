package io.edgepush.agent.session;

import io.edgepush.protocol.rtmp.RetryPolicy;

/**
 * Decides after each failure whether to try again, when, and on which of the endpoint's URLs (failover order:
 * primary, backup1, backup2, ...). One planner per session, used on its control thread.
 *
 * <ul>
 *   <li>A connect or publish that fails on a URL that is not the last moves on to the next URL after
 *       {@link #FAILOVER_DELAY_MS} (or the initial backoff delay, if lower): a dead primary costs well under a
 *       second.</li>
 *   <li>When the last URL failed, or a live publish broke, the session waits the backoff delay (full jitter,
 *       ceiling doubling per failed round, see {@link Backoff}) and starts again at the primary.</li>
 *   <li>{@link RetryPolicy#RETRY_AFTER_IDLE_TIMEOUT} ("Already publishing", a bare close after publish): when the
 *       next try goes to the same URL it waits at least {@code serverIdleTimeoutMs}, so the server has dropped the
 *       stale publish first; another URL is tried without that wait.</li>
 *   <li>{@link RetryPolicy#DO_NOT_RETRY} (unknown app, credentials refused, TLS verification failed), auto
 *       reconnect off, or the attempt budget used up: give up.</li>
 * </ul>
 * The counters start again with {@link #restart()} (a start command) and {@link #stable()} (a publish stayed up
 * for the stable period). Written on the session's control thread only; {@link #attempts()} may be read anywhere.
 */
final class RetryPlanner {
    /** Delay before trying the next URL of the list, milliseconds. */
    static final long FAILOVER_DELAY_MS = 250;

    /**
     * What to do after a failure.
     *
     * @param delayMs  wait before the next try, milliseconds; -1 = give up
     * @param urlIndex index of the URL to try next (failover order)
     * @param attempt  failed attempts since the stream was last stable, this one included (1-based)
     */
    record Decision(long delayMs, int urlIndex, int attempt) {
        boolean givesUp() {
            return delayMs < 0;
        }
    }

    private final Backoff backoff;
    private final boolean autoReconnect;
    private final long serverIdleTimeoutMs;
    private volatile int attempts; // volatile: read by /status from other threads
    private int rounds;
    private int urlIndex;

    /**
     * @param autoReconnect       false: never retry
     * @param serverIdleTimeoutMs how long a server keeps a publish whose connection went silent, milliseconds
     */
    RetryPlanner(Backoff backoff, boolean autoReconnect, long serverIdleTimeoutMs) {
        this.backoff = backoff;
        this.autoReconnect = autoReconnect;
        this.serverIdleTimeoutMs = serverIdleTimeoutMs;
    }

    /** A new start: first URL, no failures counted. */
    void restart() {
        attempts = 0;
        rounds = 0;
        urlIndex = 0;
    }

    /** The publish stayed up for the stable period: failures and backoff start again from zero. */
    void stable() {
        attempts = 0;
        rounds = 0;
    }

    /** Failed attempts since the stream was last stable. */
    int attempts() {
        return attempts;
    }

    /** Index (modulo the URL count) of the URL to try now. */
    int urlIndex(int urlCount) {
        return Math.floorMod(urlIndex, Math.max(1, urlCount));
    }

    /**
     * Records a failure of the URL at {@link #urlIndex} and plans the next try.
     *
     * @param policy   what the failure allows
     * @param wasLive  true when a publish that was streaming broke (as opposed to a connect or publish that failed)
     * @param urlCount how many URLs the endpoint has (>= 1)
     */
    Decision onFailure(RetryPolicy policy, boolean wasLive, int urlCount) {
        attempts++;
        int failed = urlIndex(urlCount);
        if (!autoReconnect || policy == RetryPolicy.DO_NOT_RETRY || !backoff.allows(attempts)) {
            return new Decision(-1, failed, attempts);
        }
        long delayMs;
        if (!wasLive && failed + 1 < urlCount) {
            urlIndex = failed + 1;
            delayMs = Math.min(FAILOVER_DELAY_MS, backoff.initialDelayMs());
        } else {
            rounds++;
            urlIndex = 0;
            delayMs = backoff.delayMs(rounds);
        }
        if (policy == RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT && urlIndex == failed) {
            delayMs = Math.max(delayMs, serverIdleTimeoutMs);
        }
        return new Decision(delayMs, urlIndex, attempts);
    }
}
