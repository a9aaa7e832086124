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
 *   <li>When the last URL failed (a <em>failed round</em> of the URL list), or a live publish broke, the session waits
 *       the backoff delay (full jitter, ceiling doubling per round, see {@link Backoff}) and starts again at the
 *       primary.</li>
 *   <li>The retry budget ({@code streaming.max_retry_attempts}) counts failed rounds, not single URLs: a dead primary
 *       in front of a working backup costs nothing, and a publish that broke after streaming costs nothing by
 *       itself. The outage ends ({@link #outageOver()}, the budget is whole again) as soon as a publish is streaming
 *       and has sent a keyframe; the backoff ceiling goes back to the initial delay only after the stable period
 *       ({@link #stable()}), so a server that accepts and drops every publish is not hammered.</li>
 *   <li>{@link RetryPolicy#RETRY_AFTER_IDLE_TIMEOUT} ("Already publishing", a bare close after publish): when the
 *       next try goes to the same URL it waits at least {@code serverIdleTimeoutMs}, so the server has dropped the
 *       stale publish first; another URL is tried without that wait.</li>
 *   <li>The budget used up, or {@link RetryPolicy#DO_NOT_RETRY} (unknown app, credentials refused, TLS verification
 *       failed) from the last URL (from another URL the next one is tried: it may be another server): the retries
 *       are <em>exhausted</em>. A session that probes ({@code streaming.keep_probing_triggers}, by default the
 *       unattended triggers) then tries a whole round again after {@link Backoff#probeDelayMs()} (about
 *       {@code max_retry_delay_ms}) until a publish works; otherwise, and always with auto reconnect off, it gives
 *       up.</li>
 * </ul>
 * {@link #restart()} (a start) clears everything. Written on the session's control thread only; {@link #attempts()}
 * may be read anywhere.
 */
final class RetryPlanner {
    /** Delay before trying the next URL of the list, milliseconds. */
    static final long FAILOVER_DELAY_MS = 250;

    /**
     * What to do after a failure.
     *
     * @param delayMs   wait before the next try, milliseconds; -1 = give up
     * @param urlIndex  index of the URL to try next (failover order)
     * @param attempt   failed rounds since the outage began, this one included if it ended a round (reported as
     *                  {@code reconnect_attempts})
     * @param exhausted the retry budget is used up: the session reports {@code error}; with {@code delayMs >= 0} it
     *                  keeps probing
     */
    record Decision(long delayMs, int urlIndex, int attempt, boolean exhausted) {
        boolean givesUp() {
            return delayMs < 0;
        }
    }

    private final Backoff backoff;
    private final boolean autoReconnect;
    private final boolean probeWhenExhausted;
    private final long serverIdleTimeoutMs;
    private volatile int failedRounds; // volatile: read by /status from other threads
    private int backoffRounds;
    private int urlIndex;
    private boolean exhausted;

    /**
     * @param autoReconnect       false: never retry
     * @param probeWhenExhausted  with auto reconnect on: once the budget is used up, keep trying a round every
     *                            {@link Backoff#probeDelayMs()} instead of giving up
     * @param serverIdleTimeoutMs how long a server keeps a publish whose connection went silent, milliseconds
     */
    RetryPlanner(Backoff backoff, boolean autoReconnect, boolean probeWhenExhausted, long serverIdleTimeoutMs) {
        this.backoff = backoff;
        this.autoReconnect = autoReconnect;
        this.probeWhenExhausted = probeWhenExhausted;
        this.serverIdleTimeoutMs = serverIdleTimeoutMs;
    }

    /** A new start: first URL, no failures counted, backoff from the initial delay. */
    void restart() {
        failedRounds = 0;
        backoffRounds = 0;
        urlIndex = 0;
        exhausted = false;
    }

    /**
     * A publish is streaming and has sent a keyframe: the outage is over, the budget is whole again (the backoff
     * ceiling is kept until {@link #stable()}).
     */
    void outageOver() {
        failedRounds = 0;
        exhausted = false;
    }

    /** The publish stayed up for the stable period: failures and backoff start again from zero. */
    void stable() {
        outageOver();
        backoffRounds = 0;
    }

    /** True from a failed round until {@link #outageOver()}: a keyframe sent on a publish ends the outage. */
    boolean inOutage() {
        return failedRounds > 0 || exhausted;
    }

    /** True while anything is left for {@link #stable()} to reset: an outage, or a backoff ceiling above the first. */
    boolean backingOff() {
        return inOutage() || backoffRounds > 0;
    }

    /** Rounds that raised the backoff ceiling since the last stable publish (or start). */
    int backoffRounds() {
        return backoffRounds;
    }

    /** True once the budget is used up, until the outage is over or a new start. */
    boolean exhausted() {
        return exhausted;
    }

    /** Failed rounds since the outage began (reported as {@code reconnect_attempts}). */
    int attempts() {
        return failedRounds;
    }

    /** Index (modulo the URL count) of the URL to try now. */
    int urlIndex(int urlCount) {
        return Math.floorMod(urlIndex, Math.max(1, urlCount));
    }

    /**
     * Records a failure of the URL at {@link #urlIndex} and plans the next try.
     *
     * @param policy   what the failure allows
     * @param wasLive  true when a publish that was streaming and had sent a keyframe broke (as opposed to a connect or
     *                 publish that failed, or a publish that broke before any keyframe went out)
     * @param urlCount how many URLs the endpoint has (>= 1)
     */
    Decision onFailure(RetryPolicy policy, boolean wasLive, int urlCount) {
        int failed = urlIndex(urlCount);
        if (!autoReconnect) {
            failedRounds++;
            return exhaust(policy, failed);
        }
        if (!wasLive && failed + 1 < urlCount) { // also DO_NOT_RETRY: the next URL may be another server
            urlIndex = failed + 1;
            return new Decision(Math.min(FAILOVER_DELAY_MS, backoff.initialDelayMs()), urlIndex, failedRounds,
                    exhausted);
        }
        urlIndex = 0;
        backoffRounds++;
        if (!wasLive) {
            failedRounds++;
        }
        if (exhausted || policy == RetryPolicy.DO_NOT_RETRY || (failedRounds > 0 && !backoff.allows(failedRounds))) {
            return exhaust(policy, failed);
        }
        return new Decision(idleWait(policy, failed, backoff.delayMs(backoffRounds)), urlIndex, failedRounds, false);
    }

    /** The budget is used up: probe the whole list again after about the longest delay, or give up. */
    private Decision exhaust(RetryPolicy policy, int failed) {
        exhausted = true;
        urlIndex = 0;
        if (!autoReconnect || !probeWhenExhausted) {
            return new Decision(-1, failed, failedRounds, true);
        }
        return new Decision(idleWait(policy, failed, backoff.probeDelayMs()), urlIndex, failedRounds, true);
    }

    private long idleWait(RetryPolicy policy, int failed, long delayMs) {
        return policy == RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT && urlIndex == failed
                ? Math.max(delayMs, serverIdleTimeoutMs) : delayMs;
    }
}
