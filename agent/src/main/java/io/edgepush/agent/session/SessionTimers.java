package io.edgepush.agent.session;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link StreamSession}'s timers on its control thread: the next retry, the stable period of a publish, the
 * uplink tick of the bitrate controller, and (through {@link EndpointRefresh}) the endpoint refresh. A failure and
 * a stop cancel them all at once ({@link #cancelAll()}). Used on the control thread only.
 */
final class SessionTimers {
    private final ScheduledExecutorService control;
    private final EndpointRefresh refresh;
    private ScheduledFuture<?> retryTask;
    private ScheduledFuture<?> stableTask;
    private ScheduledFuture<?> uplinkTask;

    SessionTimers(ScheduledExecutorService control, EndpointRefresh refresh) {
        this.control = control;
        this.refresh = refresh;
    }

    /** Runs {@code attempt} after {@code delayMs}. */
    void retryAfter(long delayMs, Runnable attempt) {
        retryTask = control.schedule(attempt, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code tick} every {@code periodMs}, the first time after one period. */
    void uplinkEvery(long periodMs, Runnable tick) {
        uplinkTask = control.scheduleAtFixedRate(tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code stable} once the publish has stayed up for {@code stablePeriodMs}. */
    void stableAfter(long stablePeriodMs, Runnable stable) {
        stableTask = control.schedule(stable, stablePeriodMs, TimeUnit.MILLISECONDS);
    }

    /** Cancels the retry, stable and uplink timers and the endpoint refresh. */
    void cancelAll() {
        if (retryTask != null) {
            retryTask.cancel(false);
            retryTask = null;
        }
        if (stableTask != null) {
            stableTask.cancel(false);
            stableTask = null;
        }
        if (uplinkTask != null) {
            uplinkTask.cancel(false);
            uplinkTask = null;
        }
        refresh.cancel();
    }
}
