package io.edgepush.agent.quality;

/**
 * The gateway's own adaptive bitrate: step down fast from what the uplink measurably delivers, drain the queue,
 * settle just under that rate, and climb back without oscillating. README "Adaptive bitrate" documents it for
 * operators; the constants below are the whole algorithm.
 *
 * <p>What it learned from (read, then written anew):
 * <ul>
 *   <li>OBS Studio's dynamic bitrate (plugins/obs-outputs/rtmp-stream.c): react to queued video (200 ms) by
 *       setting the bitrate to the measured throughput. Kept: the measured delivery rate is the step-down
 *       target. Changed: OBS climbs blindly (+10 % of the original every 4 s) and so oscillates around a steady
 *       bottleneck; here the rate where congestion began (the "knee") is remembered and only probed past
 *       slowly.</li>
 *   <li>BBR (Cardwell et al., ACM Queue 2016): the delivery rate measured while a queue exists is the
 *       bottleneck's capacity; a rate measured while the sender is application-limited says nothing about it.
 *       Hence the step down uses the delivery rate only when the backlog says the uplink is the bottleneck, and
 *       a static scene whose encoder undershoots never drives the target down: the controller works from the
 *       target it set, not from what the encoder happened to produce.</li>
 *   <li>GCC (draft-ietf-rmcat-gcc): delay, not loss, is the early signal. Here the delay is the backlog in media
 *       time, measured up to the server through its acknowledgements, so a queue growing anywhere on the path (a
 *       rising round trip) shows in it. GCC's multiplicative decrease (0.85 of the measured rate) is the model for
 *       {@link #DRAIN_FACTOR}; the extra cut that drains the backlog within 1.5 s is ours.</li>
 *   <li>RootEncoder's BitrateAdapter (0.8x / 1.2x of the measured output every ~5 s), whose users report it
 *       misreads congestion: measuring the encoder's output rather than the link's delivery is what makes it
 *       step down on a quiet scene; avoided as above.</li>
 * </ul>
 *
 * <p>The algorithm, per reading (every 250 ms):
 * <ol>
 *   <li><b>Congestion</b>: backlog above {@value #CONGESTED_MS} ms for {@value
 *       #CONGESTED_READINGS} readings in a row, or above twice that once, or above it once having grown by more
 *       than {@value #RISE_MS} ms from a reading already above half of it (an uplink that fell; a single IDR burst,
 *       rising from near nothing, does not count), or
 *       a standing queue: above {@value #STANDING_MS} ms in {@value #STANDING_READINGS} more readings than under it
 *       (about 4 s; a target that sits right at the uplink's rate, its backlog wavering around 200-300 ms).</li>
 *   <li><b>Step down</b> on congestion, at most once per {@value #STEP_DOWN_HOLD_MS} ms (the encoder needs up to a
 *       GOP to follow), and while a drain is under way only if the backlog grew by {@value #DRAINED_MS} ms since
 *       the last step (the uplink fell again): the knee := the delivery rate over the last 0.5 s and 1 s (the
 *       lesser; measured again over the drain, see Settle), which with a standing queue is the uplink's capacity;
 *       target := knee x ({@value #DRAIN_FACTOR} - backlog / {@value #DRAIN_WITHIN_MS} ms), at least {@value
 *       #MIN_DRAIN_FACTOR} x knee: below the link by what drains the queue within about 1.5 s.</li>
 *   <li><b>Settle</b>: once the backlog is under {@value #DRAINED_MS} ms, the knee := the delivery rate over the
 *       drain, from the step down to its last reading with a queue standing, when that spans at least {@value
 *       #MIN_DRAIN_MEASURE_MS} ms (the first estimate came from windows that may still hold time before the uplink
 *       fell; the drain's does not), and target := {@value #SETTLE_FACTOR} x knee at once (a planned step, not a
 *       probe).</li>
 *   <li><b>Climb</b> while the backlog stays under {@value #DRAINED_MS} ms: every {@value #CLIMB_INTERVAL_MS} ms
 *       (and no sooner than {@value #CLIMB_AFTER_DOWN_MS} ms after a step down) by the larger of {@value
 *       #CLIMB_OF_CEILING} of the ceiling and {@value #CLIMB_OF_TARGET} of the target, but not past
 *       {@value #KNEE_MARGIN} x a knee seen in the last {@value #KNEE_MEMORY_MS} ms.</li>
 *   <li><b>Probe</b> past a remembered knee: {@value #PROBE_STEP} x the knee, at most once per {@value
 *       #PROBE_INTERVAL_MS} ms, so a steady bottleneck costs at most one step down per that interval. A probe
 *       whose delivery rate beats the knee by {@value #PROBE_PROOF} proves the uplink got better: the knee is
 *       forgotten and the climb goes on at full speed, at once.</li>
 * </ol>
 * The target always stays within the sample's floor and ceiling (the preset's bitrate capped by the endpoint's
 * {@code max_bitrate}).
 */
final class EdgeBitrateController implements BitrateController {
    /** Backlog above this is congestion, milliseconds. */
    public static final long CONGESTED_MS = 250;
    /**
     * A backlog above {@link #CONGESTED_MS} that grew by more than this since a previous reading already above half
     * of it is congestion at once (the uplink fell: waiting for a second reading costs a quarter second of queue;
     * an IDR burst rises from near nothing and is let be), ms.
     */
    public static final long RISE_MS = 100;
    /** Readings in a row above {@link #CONGESTED_MS} that make congestion. */
    public static final int CONGESTED_READINGS = 2;
    /** Backlog under this counts as drained, milliseconds. */
    public static final long DRAINED_MS = 100;
    /** A step down asks at most this share of the measured delivery rate, so the queue drains... */
    public static final double DRAIN_FACTOR = 0.85;
    /** ...less what drains the backlog within this long, milliseconds... */
    public static final long DRAIN_WITHIN_MS = 1500;
    /** ...but never less than this share. */
    public static final double MIN_DRAIN_FACTOR = 0.4;
    /**
     * A backlog above this in {@link #STANDING_READINGS} more readings than not, counted since the last time the
     * count fell to zero, is a standing queue, milliseconds.
     */
    public static final long STANDING_MS = 200;
    /** The surplus of readings above {@link #STANDING_MS} (4 s of them) that makes a standing queue: congestion too. */
    public static final int STANDING_READINGS = 16;
    /** After draining, the target settles at this share of the knee. */
    public static final double SETTLE_FACTOR = 0.92;
    /** Least time between two steps down, milliseconds. */
    public static final long STEP_DOWN_HOLD_MS = 1500;
    /** Least time between two climbs, milliseconds. */
    public static final long CLIMB_INTERVAL_MS = 2000;
    /** Least time from a step down to the next climb, milliseconds. */
    public static final long CLIMB_AFTER_DOWN_MS = 3000;
    /** A climb adds at least this share of the ceiling... */
    public static final double CLIMB_OF_CEILING = 0.15;
    /** ...or this share of the target, whichever is more. */
    public static final double CLIMB_OF_TARGET = 0.5;
    /** A knee is remembered this long after the last congestion, milliseconds. */
    public static final long KNEE_MEMORY_MS = 30_000;
    /** Climbs stop short of the knee by this share. */
    public static final double KNEE_MARGIN = 0.95;
    /** A probe past the knee asks this multiple of the knee: enough over it to prove a better uplink. */
    public static final double PROBE_STEP = 1.08;
    /** Least time between probes past the knee (and since the last step down), milliseconds. */
    public static final long PROBE_INTERVAL_MS = 10_000;
    /** A drain this long or longer, milliseconds, measures the knee afresh (its delivery rate). */
    public static final long MIN_DRAIN_MEASURE_MS = 500;
    /** A delivery rate this share above the knee proves the uplink got better. */
    public static final double PROBE_PROOF = 1.03;

    private static final long LONG_AGO = Long.MIN_VALUE / 4;

    private long targetBps;
    private int congestedReadings;
    private int standingReadings;
    private boolean draining;
    private long kneeBps;
    private long kneeAtMs = LONG_AGO;
    private long lastDownMs = LONG_AGO;
    private long lastUpMs = LONG_AGO;
    private long lastProbeMs = LONG_AGO;
    private long backlogAtDownMs;
    private long lastQueuedMs;
    private long drainStartMs;
    private long drainStartBytes;
    private long drainLastMs;
    private long drainLastBytes;

    @Override
    public void reset(long startBps) {
        targetBps = startBps;
        congestedReadings = 0;
        standingReadings = 0;
        lastQueuedMs = 0;
        draining = false;
        kneeBps = 0;
        kneeAtMs = LONG_AGO;
        lastDownMs = LONG_AGO;
        lastUpMs = LONG_AGO;
        lastProbeMs = LONG_AGO;
    }

    @Override
    public long onSample(LinkSample s) {
        long now = s.nowMs();
        targetBps = s.clamp(targetBps <= 0 ? s.ceilingBps() : targetBps);
        long queued = s.backlogMs();
        congestedReadings = queued > CONGESTED_MS ? congestedReadings + 1 : 0;
        standingReadings = queued > STANDING_MS ? standingReadings + 1 : Math.max(0, standingReadings - 1);
        boolean rising = queued > CONGESTED_MS && lastQueuedMs > CONGESTED_MS / 2 && queued - lastQueuedMs > RISE_MS;
        lastQueuedMs = queued;
        boolean congested = congestedReadings >= CONGESTED_READINGS || queued > 2 * CONGESTED_MS || rising
                || standingReadings >= STANDING_READINGS;
        boolean drainFailing = !draining || queued > backlogAtDownMs + DRAINED_MS;
        if (congested && s.deliveryRateBps() > 0 && drainFailing && now - lastDownMs >= STEP_DOWN_HOLD_MS) {
            kneeBps = s.deliveryRateBps(); // a queue stands: what gets through is the uplink's capacity
            kneeAtMs = now;
            double share = Math.max(MIN_DRAIN_FACTOR, DRAIN_FACTOR - (double) queued / DRAIN_WITHIN_MS);
            targetBps = s.clamp(Math.round(kneeBps * share));
            draining = true;
            drainStartMs = now;
            drainStartBytes = s.deliveredBytes();
            drainLastMs = now;
            drainLastBytes = s.deliveredBytes();
            lastDownMs = now;
            backlogAtDownMs = queued;
            congestedReadings = 0;
            standingReadings = 0;
            return targetBps;
        }
        if (draining) {
            if (queued > DRAINED_MS) {
                drainLastMs = now; // a queue still stands: what got through so far is the capacity
                drainLastBytes = s.deliveredBytes();
            }
            if (queued <= DRAINED_MS) {
                draining = false;
                long spanMs = drainLastMs - drainStartMs;
                long bytes = drainLastBytes - drainStartBytes;
                if (spanMs >= MIN_DRAIN_MEASURE_MS && bytes > 0) {
                    // The knee was read soon after the uplink fell, over windows that may still hold time before
                    // the fall; the drain, with its queue standing all along, measured the capacity itself.
                    kneeBps = bytes * 8_000 / spanMs;
                }
                long settle = s.clamp((long) (kneeBps * SETTLE_FACTOR));
                if (settle > targetBps) {
                    targetBps = settle;
                    lastUpMs = now;
                }
            }
            return targetBps;
        }
        boolean kneeKnown = kneeBps > 0 && now - kneeAtMs < KNEE_MEMORY_MS;
        if (kneeKnown && targetBps > kneeBps && s.deliveryRateBps() > PROBE_PROOF * kneeBps
                && queued <= DRAINED_MS) {
            kneeBps = 0; // more got through than the knee allowed, with no queue: the uplink got better
            kneeKnown = false;
            lastUpMs = LONG_AGO; // climb at once
        }
        if (queued > DRAINED_MS || targetBps >= s.ceilingBps()
                || now - lastUpMs < CLIMB_INTERVAL_MS || now - lastDownMs < CLIMB_AFTER_DOWN_MS) {
            return targetBps;
        }
        long next = targetBps + (long) Math.max(CLIMB_OF_CEILING * s.ceilingBps(), CLIMB_OF_TARGET * targetBps);
        if (kneeKnown) {
            long belowKnee = (long) (KNEE_MARGIN * kneeBps);
            if (targetBps < belowKnee) {
                next = Math.min(next, belowKnee);
            } else if (now - Math.max(lastProbeMs, lastDownMs) >= PROBE_INTERVAL_MS) {
                next = Math.max(targetBps + 1, (long) (kneeBps * PROBE_STEP));
                lastProbeMs = now;
            } else {
                return targetBps;
            }
        }
        long climbed = s.clamp(next);
        if (climbed > targetBps) {
            targetBps = climbed;
            lastUpMs = now;
        }
        return targetBps;
    }

    /** The target asked last, bits per second (0 before the first reading after a reset without a start). */
    public long targetBps() {
        return targetBps;
    }
}
