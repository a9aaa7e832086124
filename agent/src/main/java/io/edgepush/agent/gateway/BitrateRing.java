package io.edgepush.agent.gateway;

/**
 * The last {@link #capacity()} bitrate samples of one stream, oldest overwritten first: a fixed {@code long[]} of
 * bit/s and the time of the newest sample, allocated once, so sampling allocates nothing. The bitrate is derived
 * from the stream's running count of bytes sent ({@code SessionMetrics#bytesSent}, FLV tag bodies): each
 * {@link #sample} records the bytes sent since the previous one over the monotonic time between them; the first
 * call only sets that baseline. A count that went down (the session restarted and reset its counters) counts from
 * zero. Not thread-safe: {@link BitrateHistory} guards it.
 */
final class BitrateRing {
    private final long[] bitrateBps;
    private int newest = -1;
    private int size;
    private long newestAtEpochMs;
    private boolean hasBaseline;
    private long lastBytes;
    private long lastNanos;

    /** @param capacity samples kept, at least 1 */
    BitrateRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.bitrateBps = new long[capacity];
    }

    /**
     * Takes one reading of the stream's byte count.
     *
     * @param bytesSent   bytes sent since the stream started (the session's running total)
     * @param nowNanos    {@link System#nanoTime()} now
     * @param nowEpochMs  Unix milliseconds now, kept as the newest sample's time
     */
    void sample(long bytesSent, long nowNanos, long nowEpochMs) {
        if (hasBaseline && nowNanos > lastNanos) {
            long bytes = bytesSent >= lastBytes ? bytesSent - lastBytes : bytesSent;
            newest = (newest + 1) % bitrateBps.length;
            bitrateBps[newest] = Math.round(bytes * 8 * 1e9 / (nowNanos - lastNanos));
            size = Math.min(size + 1, bitrateBps.length);
            newestAtEpochMs = nowEpochMs;
        }
        hasBaseline = true;
        lastBytes = bytesSent;
        lastNanos = nowNanos;
    }

    /** Samples kept, 0 to {@link #capacity()}. */
    int size() {
        return size;
    }

    /** The most samples kept. */
    int capacity() {
        return bitrateBps.length;
    }

    /** Sample {@code i} in bit/s, 0 the oldest kept and {@code size() - 1} the newest. */
    long bitrateBps(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + size);
        }
        return bitrateBps[Math.floorMod(newest - size + 1 + i, bitrateBps.length)];
    }

    /** Unix milliseconds of the newest sample; 0 while there is none. */
    long newestAtEpochMs() {
        return newestAtEpochMs;
    }
}
