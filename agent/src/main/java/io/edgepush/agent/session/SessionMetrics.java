package io.edgepush.agent.session;

import io.edgepush.agent.stream.AddedLatency;
import io.edgepush.agent.stream.OutputCounters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one session's stream. The stream's output is the only writer of the counters; the control
 * thread reads them through {@link #sample()} and {@link #total()}.
 */
public final class SessionMetrics implements OutputCounters {

    /**
     * A reading of the metrics (DESIGN.md section 3, stream_metrics and stream_stopped).
     *
     * @param fps frames sent per second over the last interval ({@link #sample()}: the interval it ends;
     *            {@link #total()}: the last interval sampled, 0 before the first of the stream)
     * @param bitrateKbps kbit/s sent over the last interval (FLV tag bodies), as {@code fps}
     * @param totalFrames frames sent since the stream started
     * @param droppedFrames frames dropped since the stream started (bad input or a slow uplink)
     * @param totalBytes FLV tag body bytes sent since the stream started
     * @param durationMs time since the stream started, in milliseconds
     * @param averageFps frames per second over the whole stream
     * @param averageBitrateKbps kbit/s over the whole stream
     * @param networkQuality the share of frames sent rather than dropped in the interval (1.0 when none was
     *                       dropped); {@link StreamSession#networkQuality} folds in the uplink
     * @param droppedByReason frames dropped since the stream started, per {@link DropReason#label()}, every reason
     *                        present (in the enum's order)
     * @param framesReceived  frames the camera sent since the stream started (with the buffered ones not yet sent
     *                        at the start): received = total - resent + dropped + still buffered
     * @param framesResent    frames in {@code totalFrames} that went out again (a new publish's start burst repeats
     *                        the GOP the viewer needs)
     * @param addedLatency    bridge frame received -> its last RTMP byte handed to the socket, over the last minute
     * @param lifetime        frames, bytes and drops of every run of this session since the agent started (this
     *                        run included): counts that never go back, for Prometheus counters
     */
    public record Snapshot(double fps, double bitrateKbps, long totalFrames, long droppedFrames,
                           long totalBytes, long durationMs, double averageFps, double averageBitrateKbps,
                           double networkQuality, Map<String, Long> droppedByReason, long framesReceived,
                           long framesResent, AddedLatency.Reading addedLatency, Lifetime lifetime) {

        /** With the lifetime counts equal to this run's (a session with one run). */
        public Snapshot(double fps, double bitrateKbps, long totalFrames, long droppedFrames, long totalBytes,
                        long durationMs, double averageFps, double averageBitrateKbps, double networkQuality,
                        Map<String, Long> droppedByReason, long framesReceived, long framesResent,
                        AddedLatency.Reading addedLatency) {
            this(fps, bitrateKbps, totalFrames, droppedFrames, totalBytes, durationMs, averageFps, averageBitrateKbps,
                    networkQuality, droppedByReason, framesReceived, framesResent, addedLatency,
                    new Lifetime(totalFrames, totalBytes, droppedByReason));
        }

        /** Without the added latency (none measured). */
        public Snapshot(double fps, double bitrateKbps, long totalFrames, long droppedFrames, long totalBytes,
                        long durationMs, double averageFps, double averageBitrateKbps, double networkQuality,
                        Map<String, Long> droppedByReason, long framesReceived, long framesResent) {
            this(fps, bitrateKbps, totalFrames, droppedFrames, totalBytes, durationMs, averageFps, averageBitrateKbps,
                    networkQuality, droppedByReason, framesReceived, framesResent, AddedLatency.Reading.NONE);
        }

        /** Without the received and re-sent counts (0). */
        public Snapshot(double fps, double bitrateKbps, long totalFrames, long droppedFrames, long totalBytes,
                        long durationMs, double averageFps, double averageBitrateKbps, double networkQuality,
                        Map<String, Long> droppedByReason) {
            this(fps, bitrateKbps, totalFrames, droppedFrames, totalBytes, durationMs, averageFps, averageBitrateKbps,
                    networkQuality, droppedByReason, 0, 0);
        }
    }

    /**
     * Counts over every run of a session since the agent started, this run included; unlike the run's counts they
     * never go back, so {@code /metrics} exports them as counters.
     *
     * @param framesSent      frames sent
     * @param bytesSent       FLV tag body bytes sent
     * @param droppedByReason frames dropped per {@link DropReason#label()}
     */
    public record Lifetime(long framesSent, long bytesSent, Map<String, Long> droppedByReason) {
    }

    private static final DropReason[] REASONS = DropReason.values();
    /** Counts of the runs before this one (guarded by this; added to at {@link #reset()}). */
    private long earlierFramesSent;
    private long earlierBytesSent;
    private final long[] earlierDroppedByReason = new long[REASONS.length];
    private final AtomicLongArray droppedByReason = new AtomicLongArray(REASONS.length);

    private volatile long framesSent;
    private volatile long framesReceived;
    private volatile long framesResent;
    private volatile long framesDropped;
    private volatile long bytesSent;
    private volatile long startNanos = System.nanoTime();
    private long intervalNanos = startNanos;
    private long intervalFrames;
    private long intervalDropped;
    private long intervalBytes;
    /** The last sampled interval's rates (guarded by this). */
    private double lastFps;
    private double lastKbps;

    /** Starts counting the run from zero (a new stream); the lifetime counts keep what the run counted. */
    public synchronized void reset() {
        earlierFramesSent += framesSent;
        earlierBytesSent += bytesSent;
        for (int i = 0; i < REASONS.length; i++) {
            earlierDroppedByReason[i] += droppedByReason.get(i);
        }
        framesSent = 0;
        framesReceived = 0;
        framesResent = 0;
        framesDropped = 0;
        for (int i = 0; i < REASONS.length; i++) {
            droppedByReason.set(i, 0);
        }
        bytesSent = 0;
        startNanos = System.nanoTime();
        intervalNanos = startNanos;
        intervalFrames = 0;
        intervalDropped = 0;
        intervalBytes = 0;
        lastFps = 0;
        lastKbps = 0;
    }

    private final AddedLatency addedLatency = new AddedLatency();

    /** The stream's output: one frame's RTMP message reached the socket (any thread). */
    @Override
    public void frameWritten(long addedLatencyNanos) {
        addedLatency.record(addedLatencyNanos);
    }

    /** The stream's output: one frame went out. */
    @Override
    public void frameSent() {
        framesSent++;
    }

    /** The stream's output: tag body bytes went out. */
    @Override
    public void bytesSent(long bytes) {
        bytesSent += bytes;
    }

    /** The stream's output: one frame was dropped, counted in the total and under its reason. */
    @Override
    public void frameDropped(DropReason reason) {
        framesDropped++;
        droppedByReason.incrementAndGet(reason.ordinal());
    }

    /** The stream's output: {@code count} frames dropped for {@code reason} at once. */
    @Override
    public void framesDropped(DropReason reason, long count) {
        framesDropped += count;
        droppedByReason.addAndGet(reason.ordinal(), count);
    }

    /** The stream's output: a frame was offered. */
    @Override
    public void frameReceived() {
        framesReceived++;
    }

    /** The stream's output: {@code count} frames went out again (also counted as sent). */
    @Override
    public void framesResent(long count) {
        framesResent += count;
    }

    /** The stream's output, at a start right after {@link #reset()}: buffered frames not yet sent count as received. */
    @Override
    public void restartReceived(long carriedOver) {
        framesReceived = carriedOver;
    }

    public long framesReceived() {
        return framesReceived;
    }

    public long framesResent() {
        return framesResent;
    }

    /** Frames dropped for {@code reason} since the stream started. */
    public long framesDropped(DropReason reason) {
        return droppedByReason.get(reason.ordinal());
    }

    public long framesSent() {
        return framesSent;
    }

    public long framesDropped() {
        return framesDropped;
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** Rates over the interval since the previous call, and totals; starts the next interval. */
    public synchronized Snapshot sample() {
        long now = System.nanoTime();
        long frames = framesSent;
        long dropped = framesDropped;
        long bytes = bytesSent;
        double seconds = Math.max(1e-3, (now - intervalNanos) / 1e9);
        long df = frames - intervalFrames;
        long dd = dropped - intervalDropped;
        double fps = df / seconds;
        double kbps = (bytes - intervalBytes) * 8 / 1000.0 / seconds;
        double quality = df + dd == 0 ? 1.0 : (double) df / (df + dd);
        intervalNanos = now;
        intervalFrames = frames;
        intervalDropped = dropped;
        intervalBytes = bytes;
        lastFps = fps;
        lastKbps = kbps;
        return build(now, fps, kbps, quality);
    }

    /**
     * Totals and whole-stream averages, with the fps and bitrate of the last interval {@link #sample()} ended (the
     * numbers the last stream_metrics carried), without starting a new interval.
     */
    public synchronized Snapshot total() {
        long now = System.nanoTime();
        long frames = framesSent;
        long dropped = framesDropped;
        double quality = frames + dropped == 0 ? 1.0 : (double) frames / (frames + dropped);
        return build(now, lastFps, lastKbps, quality);
    }

    private Snapshot build(long now, double fps, double kbps, double quality) {
        long durationMs = (now - startNanos) / 1_000_000;
        double seconds = Math.max(1e-3, durationMs / 1000.0);
        Map<String, Long> byReason = new LinkedHashMap<>();
        Map<String, Long> lifetimeByReason = new LinkedHashMap<>();
        for (DropReason r : REASONS) {
            long run = droppedByReason.get(r.ordinal());
            byReason.put(r.label(), run);
            lifetimeByReason.put(r.label(), earlierDroppedByReason[r.ordinal()] + run);
        }
        long sent = framesSent;
        long bytes = bytesSent;
        return new Snapshot(round1(fps), round1(kbps), sent, framesDropped, bytes, durationMs,
                round1(sent / seconds), round1(bytes * 8 / 1000.0 / seconds), round2(quality),
                Collections.unmodifiableMap(byReason), framesReceived, framesResent,
                addedLatency.read(System.nanoTime() / 1_000_000),
                new Lifetime(earlierFramesSent + sent, earlierBytesSent + bytes,
                        Collections.unmodifiableMap(lifetimeByReason)));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
