package io.edgepush.agent.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One time budget shared by the steps of the agent's shutdown (DESIGN.md section 6: SIGTERM to exit within 5 s).
 * A step waits at most until the deadline minus the share it leaves to the steps after it, never for a fixed time
 * of its own, so a slow step shortens the later ones instead of adding to them. Uses the monotonic clock
 * ({@link System#nanoTime()}).
 */
final class ShutdownDeadline {
    private static final Logger log = LoggerFactory.getLogger(ShutdownDeadline.class);

    private final long startNanos;
    private final long deadlineNanos;

    private ShutdownDeadline(long startNanos, long budgetMs) {
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(budgetMs);
    }

    /** A deadline {@code budgetMs} milliseconds from now. */
    static ShutdownDeadline in(long budgetMs) {
        return new ShutdownDeadline(System.nanoTime(), budgetMs);
    }

    /** Milliseconds left until {@code reserveMs} before the deadline; 0 when that point has passed. */
    long remainingMs(long reserveMs) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) - reserveMs;
        return Math.max(0, left);
    }

    /** Milliseconds since this deadline was set. */
    long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * Waits for {@code future} until {@code reserveMs} before the deadline.
     *
     * @return true if it completed in time (normally or exceptionally), false if the time ran out
     */
    boolean await(CompletableFuture<?> future, long reserveMs) {
        try {
            future.get(remainingMs(reserveMs), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts a blocking step on its own daemon thread, to be waited for with {@link #await}. A step still running
     * when the time is up is left behind on its thread (the process is exiting); a step that throws is logged.
     *
     * @param name short name for the thread and logs, e.g. {@code mqtt_close}
     * @return completes (never exceptionally) when the step has ended
     */
    static CompletableFuture<Void> background(String name, Runnable step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.warn("event=shutdown_step_failed step={} error=\"{}\"", name, e.toString());
            } finally {
                done.complete(null);
            }
        }, "agent-shutdown-" + name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }
}
