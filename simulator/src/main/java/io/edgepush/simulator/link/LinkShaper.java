package io.edgepush.simulator.link;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;

/**
 * The arithmetic of a throttled uplink, without sockets or buffers: a bottleneck queue drained by a token bucket,
 * then a fixed one-way delay. Bytes are counted, not held; each byte belongs to an owner (a connection) so that
 * {@link #drain(ObjLongConsumer)} can say whose bytes leave. The owner's own bytes keep their order; bytes of
 * several owners leave in the order they arrived (one FIFO, like a router queue).
 *
 * <p>Model of one byte: it {@link #arrive arrives} in the bottleneck queue; it is <em>sent</em> (leaves the queue
 * onto the wire) once the bucket holds a token for it, tokens accruing at {@code rateBps} up to a depth of
 * {@code max(1500 B, 10 ms of the rate)} (the bucket starts full); it is <em>delivered</em> {@code delayMs} after
 * it was sent. So a byte is never delivered before its arrival + delay, and queueing adds to the delay. Rate 0
 * pauses sending (the bucket empties and stays empty); bytes already sent are still delivered after the delay.
 * Sending happens when {@link #drain} runs. While bytes wait, tokens may accrue past the depth by up to one more
 * depth (the bytes a continuous link would have sent meanwhile), so a caller that drains a little late loses no rate:
 * it sends the bytes that were due, in one burst of at most two depths. The caller's wake-up granularity is the
 * model's time granularity.
 *
 * <p>Not thread-safe: confine an instance to one thread (the proxy's event loop). The clock is injected so tests
 * can move time by hand.
 *
 * @param <K> the owner of queued bytes (compared by identity)
 */
final class LinkShaper<K> {
    /** The largest rate, 100 Gbit/s; keeps token arithmetic within a long. */
    static final long MAX_RATE_BPS = 100_000_000_000L;
    /** The bucket holds at least one Ethernet payload (bytes). */
    static final long MIN_DEPTH_BYTES = 1500;
    /** The bucket holds this much time of the rate (ms), so bursts stay short. */
    static final long DEPTH_MS = 10;
    /** {@link #nextWakeNanos()} waits for tokens for this many bytes (or the whole queue, if smaller). */
    static final long WAKE_QUANTUM_BYTES = 1500;

    /** Token units per byte: a token unit is one bit-nanosecond per second, so refill = rateBps * elapsedNanos. */
    private static final long UNITS_PER_BYTE = 8_000_000_000L;

    private final LongSupplier nowNanos;
    private final long delayNanos;
    private final ArrayDeque<Entry<K>> queue = new ArrayDeque<>();
    private final ArrayDeque<Entry<K>> wire = new ArrayDeque<>();
    private long rateBps;
    private long depthUnits;
    private long tokenUnits;
    private long lastAccrualNanos;
    private long queuedBytes;
    private long inFlightBytes;
    private long sentBytes;
    private long deliveredBytes;

    /** Bytes of one owner that arrived (or were sent) together. */
    private static final class Entry<K> {
        final K owner;
        long bytes;
        final long atNanos;

        Entry(K owner, long bytes, long atNanos) {
            this.owner = owner;
            this.bytes = bytes;
            this.atNanos = atNanos;
        }
    }

    /**
     * An empty link with a full bucket.
     *
     * @param nowNanos a monotonic clock in nanoseconds (e.g. {@code System::nanoTime})
     * @param rateBps the sending rate in bits per second, 0..{@link #MAX_RATE_BPS}; 0 = paused
     * @param delayMs one-way delay in milliseconds, at least 0
     * @throws IllegalArgumentException if a value is out of range
     */
    LinkShaper(LongSupplier nowNanos, long rateBps, long delayMs) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs must be at least 0, got " + delayMs);
        }
        this.nowNanos = nowNanos;
        this.delayNanos = delayMs * 1_000_000L;
        this.lastAccrualNanos = nowNanos.getAsLong();
        applyRate(checkRate(rateBps));
        this.tokenUnits = rateBps == 0 ? 0 : depthUnits;
    }

    /** Validates a rate; returns it. */
    static long checkRate(long rateBps) {
        if (rateBps < 0 || rateBps > MAX_RATE_BPS) {
            throw new IllegalArgumentException("rateBps must be 0.." + MAX_RATE_BPS + ", got " + rateBps);
        }
        return rateBps;
    }

    /** The bucket depth for a rate, bytes: {@code max(1500, rateBps * 10 ms / 8)}. */
    static long depthBytes(long rateBps) {
        return Math.max(MIN_DEPTH_BYTES, rateBps * DEPTH_MS / 8_000);
    }

    /**
     * Changes the rate from now on: tokens accrued so far at the old rate are kept (up to the new depth); 0 pauses
     * and empties the bucket, so a resumed link starts with no tokens.
     *
     * @throws IllegalArgumentException if {@code rateBps} is outside 0..{@link #MAX_RATE_BPS}
     */
    void setRateBps(long rateBps) {
        checkRate(rateBps);
        accrue();
        applyRate(rateBps);
    }

    private void applyRate(long newRateBps) {
        rateBps = newRateBps;
        depthUnits = depthBytes(newRateBps) * UNITS_PER_BYTE;
        tokenUnits = newRateBps == 0 ? 0 : Math.min(tokenUnits, depthUnits);
    }

    /** The current rate, bits per second. */
    long rateBps() {
        return rateBps;
    }

    /** Adds {@code bytes} (at least 1) of {@code owner} to the end of the bottleneck queue, arriving now. */
    void arrive(K owner, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be at least 1, got " + bytes);
        }
        long now = accrue(); // with the queue as it was before these bytes
        queue.addLast(new Entry<>(owner, bytes, now));
        queuedBytes += bytes;
    }

    /**
     * Advances the link to now: sends queued bytes the bucket allows, then delivers every sent byte whose delay has
     * passed, oldest first, calling {@code deliver(owner, bytes)} once per run of one owner's bytes.
     *
     * @return the bytes delivered by this call
     */
    long drain(ObjLongConsumer<K> deliver) {
        long now = accrue();
        while (!queue.isEmpty() && tokenUnits >= UNITS_PER_BYTE) {
            Entry<K> head = queue.peekFirst();
            long n = Math.min(head.bytes, tokenUnits / UNITS_PER_BYTE);
            tokenUnits -= n * UNITS_PER_BYTE;
            head.bytes -= n;
            queuedBytes -= n;
            if (head.bytes == 0) {
                queue.pollFirst();
            }
            Entry<K> tail = wire.peekLast();
            if (tail != null && tail.owner == head.owner && tail.atNanos == now) {
                tail.bytes += n;
            } else {
                wire.addLast(new Entry<>(head.owner, n, now));
            }
            inFlightBytes += n;
            sentBytes += n;
        }
        long delivered = 0;
        while (!wire.isEmpty() && now - wire.peekFirst().atNanos >= delayNanos) {
            Entry<K> e = wire.pollFirst();
            inFlightBytes -= e.bytes;
            deliveredBytes += e.bytes;
            delivered += e.bytes;
            deliver.accept(e.owner, e.bytes);
        }
        return delivered;
    }

    /**
     * When {@link #drain} next has something to do: the moment the oldest sent byte's delay passes, or the moment
     * the bucket holds tokens for {@link #WAKE_QUANTUM_BYTES} (or the whole queue, if smaller), whichever is first.
     *
     * @return a time on the injected clock (nanoseconds), possibly already past; {@link Long#MAX_VALUE} if nothing
     *     will happen until more bytes arrive or the rate changes (empty link, or paused with an empty wire)
     */
    long nextWakeNanos() {
        long now = accrue();
        long wake = Long.MAX_VALUE;
        if (!wire.isEmpty()) {
            wake = wire.peekFirst().atNanos + delayNanos;
        }
        if (!queue.isEmpty() && rateBps > 0) {
            long needUnits = Math.min(queuedBytes, WAKE_QUANTUM_BYTES) * UNITS_PER_BYTE;
            long missingUnits = needUnits - tokenUnits;
            long tokensAt = missingUnits <= 0 ? now : now + ceilDiv(missingUnits, rateBps);
            wake = Math.min(wake, tokensAt);
        }
        return wake;
    }

    /**
     * Drops every byte of {@code owner}, queued or on the wire (its connection closed). Tokens spent on them are not
     * refunded.
     *
     * @return the bytes dropped
     */
    long forget(K owner) {
        accrue();
        long dropped = 0;
        for (Iterator<Entry<K>> it = queue.iterator(); it.hasNext(); ) {
            Entry<K> e = it.next();
            if (e.owner == owner) {
                queuedBytes -= e.bytes;
                dropped += e.bytes;
                it.remove();
            }
        }
        for (Iterator<Entry<K>> it = wire.iterator(); it.hasNext(); ) {
            Entry<K> e = it.next();
            if (e.owner == owner) {
                inFlightBytes -= e.bytes;
                dropped += e.bytes;
                it.remove();
            }
        }
        return dropped;
    }

    /** Bytes waiting in the bottleneck queue (not yet sent). */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Bytes sent but not yet delivered (inside the delay). */
    long inFlightBytes() {
        return inFlightBytes;
    }

    /** Bytes sent since creation (left the bottleneck queue), including forgotten ones. */
    long sentBytes() {
        return sentBytes;
    }

    /** Bytes delivered since creation. */
    long deliveredBytes() {
        return deliveredBytes;
    }

    /**
     * Adds the tokens accrued since the last accrual at the rate, up to the depth, or up to two depths while bytes
     * wait (what a continuous link would have sent meanwhile, up to one depth); returns now. Called before every
     * change of the queue, so the queue was as it is now for the whole interval.
     */
    private long accrue() {
        long now = nowNanos.getAsLong();
        long elapsed = now - lastAccrualNanos;
        lastAccrualNanos = now;
        if (elapsed <= 0 || rateBps == 0) {
            return now;
        }
        // At most two depths, 2e18 units at the largest rate: no overflow.
        long capUnits = depthUnits + Math.min(queuedBytes, depthUnits / UNITS_PER_BYTE) * UNITS_PER_BYTE;
        long missingUnits = capUnits - tokenUnits;
        // rateBps * elapsed may overflow; only multiply when the result stays below the cap.
        if (missingUnits <= 0 || elapsed >= ceilDiv(missingUnits, rateBps)) {
            tokenUnits = capUnits;
        } else {
            tokenUnits += rateBps * elapsed;
        }
        return now;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
