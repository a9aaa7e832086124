package io.edgepush.simulator.link;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LinkTrace} being applied to a {@link ThrottleProxy} (from {@link ThrottleProxy#runTrace}): each step sets
 * the proxy's rate at its time after the start; after the last step its rate stays. Cancel it to stop applying steps
 * (the rate then stays where it is). Thread-safe.
 */
public final class TraceRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraceRun.class);

    private final LinkTrace trace;
    private final LongConsumer setRateBps;
    private final ScheduledExecutorService scheduler;
    private final long startNanos;
    private int nextStep;
    private boolean cancelled;
    private ScheduledFuture<?> pending;

    private TraceRun(LinkTrace trace, LongConsumer setRateBps, ScheduledExecutorService scheduler) {
        this.trace = trace;
        this.setRateBps = setRateBps;
        this.scheduler = scheduler;
        this.startNanos = System.nanoTime();
    }

    /** Starts now: applies the steps at time 0 at once and schedules the others on {@code scheduler}. */
    static TraceRun start(LinkTrace trace, LongConsumer setRateBps, ScheduledExecutorService scheduler) {
        TraceRun run = new TraceRun(trace, setRateBps, scheduler);
        run.applyDueSteps();
        return run;
    }

    /** Applies every step whose time has come, then schedules the next one. */
    private synchronized void applyDueSteps() {
        pending = null;
        List<LinkTrace.Step> steps = trace.steps();
        while (!cancelled && nextStep < steps.size()) {
            LinkTrace.Step step = steps.get(nextStep);
            long waitNanos = startNanos + step.at().toNanos() - System.nanoTime();
            if (waitNanos > 0) {
                try {
                    pending = scheduler.schedule(this::applyDueSteps, waitNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    cancelled = true; // the proxy closed
                }
                return;
            }
            nextStep++;
            setRateBps.accept(step.rateBps());
        }
        if (!cancelled) {
            LOG.info("link trace finished; the rate stays at {} kbps",
                    LinkTrace.kbps(steps.get(steps.size() - 1).rateBps()));
        }
    }

    /** The trace being applied. */
    public LinkTrace trace() {
        return trace;
    }

    /** Time since the trace started. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The trace's rate at {@code sinceStart} (bits per second), e.g. for a report next to measured throughput. */
    public long rateBpsAt(Duration sinceStart) {
        return trace.rateBpsAt(sinceStart);
    }

    /** Whether every step has been applied, or the run was cancelled, or the proxy closed. */
    public synchronized boolean isDone() {
        return cancelled || nextStep == trace.steps().size() || scheduler.isShutdown();
    }

    /** Stops applying steps: none is applied after this returns. Idempotent. */
    public synchronized void cancel() {
        cancelled = true;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Same as {@link #cancel()}. */
    @Override
    public void close() {
        cancel();
    }
}
