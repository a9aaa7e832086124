package io.edgepush.agent.quality;

/**
 * The rate at which bytes reach the server, from a running count of bytes known to have arrived (acknowledged by
 * the server) read at regular times: the count's growth over the last {@code windowMs}. Keeps a fixed ring of
 * readings; allocates nothing after construction. Not thread safe.
 */
final class DeliveryRateMeter {
    private final long[] timesMs;
    private final long[] bytes;
    private int next;
    private int size;

    /** @param capacity readings kept; enough to cover the longest window asked for at the reading period */
    public DeliveryRateMeter(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2, got " + capacity);
        }
        timesMs = new long[capacity];
        bytes = new long[capacity];
    }

    /** Forgets every reading (a new stream). */
    public void reset() {
        size = 0;
        next = 0;
    }

    /**
     * One reading.
     *
     * @param nowMs          monotonic milliseconds, not decreasing
     * @param deliveredBytes the running count of bytes known to have arrived; a count lower than the last one
     *                       (a new publish counted afresh) starts the meter over
     */
    public void add(long nowMs, long deliveredBytes) {
        if (size > 0 && deliveredBytes < bytes[(next - 1 + timesMs.length) % timesMs.length]) {
            reset();
        }
        timesMs[next] = nowMs;
        bytes[next] = deliveredBytes;
        next = (next + 1) % timesMs.length;
        size = Math.min(size + 1, timesMs.length);
    }

    /**
     * Bits per second over about the last {@code windowMs}: from the newest reading at least that old (or the
     * oldest kept) to the newest; 0 with fewer than two readings.
     */
    public long rateBps(long windowMs) {
        if (size < 2) {
            return 0;
        }
        int newest = (next - 1 + timesMs.length) % timesMs.length;
        int from = newest;
        for (int i = 1; i < size; i++) {
            int k = (newest - i + timesMs.length) % timesMs.length;
            from = k;
            if (timesMs[newest] - timesMs[k] >= windowMs) {
                break;
            }
        }
        long ms = timesMs[newest] - timesMs[from];
        return ms <= 0 ? 0 : (bytes[newest] - bytes[from]) * 8_000 / ms;
    }
}
