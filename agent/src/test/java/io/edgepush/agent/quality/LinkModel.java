package io.edgepush.agent.quality;

/**
 * A fluid model of an encoder feeding a bottleneck link, for testing bitrate controllers without sockets or clocks:
 * the encoder produces its target bitrate (following a new target only after {@code encoderLagMs}, like a camera
 * that changes at its next GOP), the link carries at most its capacity, the rest queues. Time advances in ticks of
 * {@link QualityControl#TICK_MS}.
 */
final class LinkModel {
    private final BitrateController controller;
    private final long ceilingBps;
    private final long encoderLagMs;
    private final DeliveryRateMeter meter = new DeliveryRateMeter(16);
    private long nowMs;
    private long targetBps;
    private long encodingBps;
    private long targetSinceMs;
    private final java.util.ArrayDeque<double[]> queue = new java.util.ArrayDeque<>(); // {bits left, media ms}
    private double queuedBits;
    private long deliveredBytes;
    private double undershoot = 1.0;
    int stepsDown;
    long lastStepDownMs = Long.MIN_VALUE / 2;
    long minStepDownGapMs = Long.MAX_VALUE;

    LinkModel(BitrateController controller, long ceilingBps, long encoderLagMs) {
        this.controller = controller;
        this.ceilingBps = ceilingBps;
        this.encoderLagMs = encoderLagMs;
        controller.reset(ceilingBps);
        targetBps = ceilingBps;
        encodingBps = ceilingBps;
    }

    /** The encoder produces only this share of its target (a static scene). */
    LinkModel undershoot(double share) {
        undershoot = share;
        return this;
    }

    /** Runs {@code ms} of time on a link of {@code capacityBps}. */
    void run(long ms, long capacityBps) {
        for (long end = nowMs + ms; nowMs < end; ) {
            nowMs += QualityControl.TICK_MS;
            if (nowMs - targetSinceMs >= encoderLagMs) {
                encodingBps = targetBps;
            }
            double in = encodingBps * undershoot * QualityControl.TICK_MS / 1000.0;
            queue.addLast(new double[] {in, QualityControl.TICK_MS, in});
            queuedBits += in;
            double budget = capacityBps * QualityControl.TICK_MS / 1000.0;
            double out = 0;
            while (budget > 0 && !queue.isEmpty()) {
                double[] head = queue.peekFirst();
                double take = Math.min(budget, head[0]);
                head[0] -= take;
                budget -= take;
                out += take;
                if (head[0] <= 1e-6) {
                    queue.pollFirst();
                }
            }
            queuedBits -= out;
            deliveredBytes += Math.round(out / 8);
            meter.add(nowMs, deliveredBytes);
            long rate = Math.min(meter.rateBps(500), meter.rateBps(1000));
            long next = controller.onSample(new LinkSample(nowMs, backlogMs(), rate, deliveredBytes,
                    QualityPlan.floorBps(ceilingBps), ceilingBps));
            if (next < targetBps) {
                stepsDown++;
                minStepDownGapMs = Math.min(minStepDownGapMs, nowMs - lastStepDownMs);
                lastStepDownMs = nowMs;
            }
            if (next != targetBps) {
                targetBps = next;
                targetSinceMs = nowMs;
            }
        }
    }

    /** The queue in media time: each queued tick's media time, in proportion to what is left of it. */
    long backlogMs() {
        double ms = 0;
        for (double[] chunk : queue) {
            ms += chunk[2] <= 0 ? 0 : chunk[1] * chunk[0] / chunk[2];
        }
        return Math.round(ms);
    }

    long targetBps() {
        return targetBps;
    }

    long nowMs() {
        return nowMs;
    }

    /** Starts counting steps down afresh (after a transient). */
    void resetSteps() {
        stepsDown = 0;
        minStepDownGapMs = Long.MAX_VALUE;
    }
}
