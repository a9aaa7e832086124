package io.edgepush.agent.quality;

/**
 * OBS Studio's dynamic bitrate, written from its published behaviour (plugins/obs-outputs/rtmp-stream.c, the
 * "dbr" code) for side-by-side comparison with {@link EdgeBitrateController} on the same trace
 * ({@code streaming.abr_controller: "obs"}):
 * <ul>
 *   <li>when more than {@value #TRIGGER_MS} ms of video wait to be sent, the bitrate is set to the measured
 *       throughput (here: the delivery rate over the last second) rounded down to {@value #ROUND_BPS} bit/s,
 *       if that is lower than the current one;</li>
 *   <li>every {@value #INCREASE_INTERVAL_MS} ms without such a trigger, the bitrate climbs by {@value
 *       #INCREASE_SHARE} of the original (the ceiling), up to it.</li>
 * </ul>
 * No memory of where congestion began, no drain phase: on a steady bottleneck it climbs into the queue again every
 * few seconds.
 */
final class ObsDynamicBitrate implements BitrateController {
    /** Queued video that triggers a cut, milliseconds. */
    public static final long TRIGGER_MS = 200;
    /** The cut rounds the measured throughput down to a multiple of this, bits per second. */
    public static final long ROUND_BPS = 100_000;
    /** Time without a trigger between two climbs, milliseconds. */
    public static final long INCREASE_INTERVAL_MS = 4000;
    /** A climb adds this share of the original bitrate. */
    public static final double INCREASE_SHARE = 0.10;

    private long targetBps;
    private long lastChangeMs = Long.MIN_VALUE / 4;

    @Override
    public void reset(long startBps) {
        targetBps = startBps;
        lastChangeMs = Long.MIN_VALUE / 4;
    }

    @Override
    public long onSample(LinkSample s) {
        targetBps = s.clamp(targetBps <= 0 ? s.ceilingBps() : targetBps);
        if (s.backlogMs() > TRIGGER_MS) {
            long estimate = s.deliveryRateBps() / ROUND_BPS * ROUND_BPS;
            if (estimate < targetBps) {
                targetBps = s.clamp(estimate);
            }
            lastChangeMs = s.nowMs();
        } else if (targetBps < s.ceilingBps() && s.nowMs() - lastChangeMs >= INCREASE_INTERVAL_MS) {
            targetBps = s.clamp(targetBps + (long) (INCREASE_SHARE * s.ceilingBps()));
            lastChangeMs = s.nowMs();
        }
        return targetBps;
    }
}
