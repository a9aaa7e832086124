package io.edgepush.agent.stream;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.Recorder;

/**
 * The latency the gateway adds to one stream's frames: from the moment a frame was received from the camera to the
 * moment the last byte of its RTMP message was handed to the socket, over the last minute. Recording is lock-free
 * ({@link Recorder}, from any thread, allocation-free); readings drain it into six 10 s slots and report the
 * percentiles of the slots still inside the last 60 s. Values are kept in microseconds to 2 significant digits (1%),
 * up to 60 s (a longer one is recorded as 60 s): about 130 KB of histograms per stream (3 digits would take ten times
 * that, which 128 streams' heap does not have).
 */
public final class AddedLatency {
    /** How far back a reading looks, ms. */
    public static final long WINDOW_MS = 60_000;
    private static final int SLOTS = 6;
    private static final long SLOT_MS = WINDOW_MS / SLOTS;
    private static final long MAX_US = TimeUnit.SECONDS.toMicros(60);
    private static final int DIGITS = 2;

    /**
     * Percentiles in milliseconds (3 decimals) of the frames written in the last minute; all 0 with {@code count}
     * 0 when none was.
     */
    public record Reading(double p50Ms, double p99Ms, double maxMs, long count) {
        /** No frame written. */
        public static final Reading NONE = new Reading(0, 0, 0, 0);
    }

    private final Recorder recorder = new Recorder(MAX_US, DIGITS);
    private final IntCountsHistogram[] slots = new IntCountsHistogram[SLOTS];
    private final long[] slotStartMs = new long[SLOTS];
    private final IntCountsHistogram all = new IntCountsHistogram(MAX_US, DIGITS);
    private Histogram spare;

    /** Records one frame's added latency, nanoseconds (negative counts as 0). Any thread; allocates nothing. */
    public void record(long nanos) {
        recorder.recordValue(Math.min(MAX_US, Math.max(0, nanos / 1000)));
    }

    /** The last minute's percentiles as of {@code nowMs} (a monotonic clock in ms). */
    public synchronized Reading read(long nowMs) {
        spare = recorder.getIntervalHistogram(spare);
        int slot = (int) Math.floorMod(nowMs / SLOT_MS, (long) SLOTS);
        long start = nowMs - Math.floorMod(nowMs, SLOT_MS);
        if (slots[slot] == null) {
            slots[slot] = new IntCountsHistogram(MAX_US, DIGITS);
        }
        if (slotStartMs[slot] != start) {
            slots[slot].reset();
            slotStartMs[slot] = start;
        }
        slots[slot].add(spare);
        all.reset();
        for (int i = 0; i < SLOTS; i++) {
            if (slots[i] != null && nowMs - slotStartMs[i] < WINDOW_MS) {
                all.add(slots[i]);
            }
        }
        long count = all.getTotalCount();
        if (count == 0) {
            return Reading.NONE;
        }
        return new Reading(ms(all.getValueAtPercentile(50)), ms(all.getValueAtPercentile(99)), ms(all.getMaxValue()),
                count);
    }

    private static double ms(long us) {
        return Math.round(us) / 1000.0;
    }
}
