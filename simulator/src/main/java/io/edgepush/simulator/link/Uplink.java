package io.edgepush.simulator.link;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The shared upstream of a {@link ThrottleProxy}: one {@link LinkShaper} for all connections, driven by the proxy's
 * single event loop (a timer wakes it when the shaper next has work), and the backpressure on the clients: a
 * connection whose read fills the bottleneck queue stops reading until the queue has room again.
 *
 * <p>Everything but the counters and {@link #setRateBps} must run on the event loop. Holds no buffers: the bytes
 * live in each {@link ProxiedConnection}'s queue; this class decides how many of them leave and when.
 */
final class Uplink {
    /** The timer never fires more often than this (nanoseconds); the model is as fine as this tick. */
    static final long MIN_TICK_NANOS = 1_000_000L;

    private final EventLoop loop;
    private final LongSupplier nowNanos;
    private final LinkShaper<ProxiedConnection> shaper;
    private final int queueLimitBytes;
    private final Set<ProxiedConnection> pausedReaders = new LinkedHashSet<>();
    private final AtomicLong receivedBytes = new AtomicLong();
    private final AtomicLong deliveredBytes = new AtomicLong();
    private volatile long queuedBytes;
    private volatile long inFlightBytes;
    private volatile long rateBps;
    private ScheduledFuture<?> timer;
    private long timerDueNanos;

    Uplink(EventLoop loop, long rateBps, long delayMs, int queueLimitBytes) {
        this.loop = loop;
        this.nowNanos = System::nanoTime; // the event loop's scheduler counts in System.nanoTime too
        this.shaper = new LinkShaper<>(nowNanos, rateBps, delayMs);
        this.queueLimitBytes = queueLimitBytes;
        this.rateBps = rateBps;
    }

    /** Sets the rate (any thread); the event loop applies it with its next task. */
    void setRateBps(long newRateBps) {
        LinkShaper.checkRate(newRateBps);
        rateBps = newRateBps;
        try {
            loop.execute(() -> {
                shaper.setRateBps(newRateBps);
                pump();
            });
        } catch (RejectedExecutionException e) {
            // the proxy is closed: nothing flows any more
        }
    }

    long rateBps() {
        return rateBps;
    }

    long receivedBytes() {
        return receivedBytes.get();
    }

    long deliveredBytes() {
        return deliveredBytes.get();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    long inFlightBytes() {
        return inFlightBytes;
    }

    /** Counts bytes the target's socket accepted (write listener, event loop). */
    void delivered(long bytes) {
        deliveredBytes.addAndGet(bytes);
    }

    /**
     * {@code bytes} of {@code c} were read and appended to its queue; if the bottleneck queue is now full, {@code c}
     * stops reading until it has room. Event loop only.
     */
    void arrive(ProxiedConnection c, int bytes) {
        receivedBytes.addAndGet(bytes);
        shaper.arrive(c, bytes);
        if (!hasRoom()) {
            c.pauseReading();
            pausedReaders.add(c);
        }
        pump();
    }

    /** Whether the bottleneck queue is below its size (a reader may read). Event loop only. */
    boolean hasRoom() {
        return shaper.queuedBytes() < queueLimitBytes;
    }

    /** Marks {@code c} as waiting for room (its reading is off). Event loop only. */
    void waitForRoom(ProxiedConnection c) {
        pausedReaders.add(c);
    }

    /** Drops {@code c}'s bytes from the link (its connection closed). Event loop only. */
    void forget(ProxiedConnection c) {
        shaper.forget(c);
        pausedReaders.remove(c);
        pump();
    }

    /** Sends and delivers what is due now, resumes readers if there is room, and sets the timer. Event loop only. */
    void pump() {
        shaper.drain(ProxiedConnection::deliverUpstream);
        if (hasRoom() && !pausedReaders.isEmpty()) {
            List<ProxiedConnection> resumed = new ArrayList<>(pausedReaders);
            pausedReaders.clear();
            resumed.forEach(ProxiedConnection::resumeReading);
        }
        queuedBytes = shaper.queuedBytes();
        inFlightBytes = shaper.inFlightBytes();
        long wake = shaper.nextWakeNanos();
        if (wake == Long.MAX_VALUE) {
            return;
        }
        long now = nowNanos.getAsLong();
        long due = Math.max(wake, now + MIN_TICK_NANOS);
        if (timer != null && !timer.isDone() && timerDueNanos - due <= 0) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDueNanos = due;
        timer = loop.schedule(() -> {
            timer = null;
            pump();
        }, due - now, TimeUnit.NANOSECONDS);
    }
}
