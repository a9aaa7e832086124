package io.edgepush.agent.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link EdgeBitrateController}'s decisions on synthetic readings and on a modelled bottleneck ({@link LinkModel}). */
class EdgeBitrateControllerTest {
    private static final long CEILING = 2_000_000;
    private static final long FLOOR = QualityPlan.floorBps(CEILING);

    private static LinkSample sample(long nowMs, long backlogMs, long deliveryBps) {
        return sample(nowMs, backlogMs, deliveryBps, deliveryBps * nowMs / 8000);
    }

    private static LinkSample sample(long nowMs, long backlogMs, long deliveryBps, long deliveredBytes) {
        return new LinkSample(nowMs, backlogMs, deliveryBps, deliveredBytes, FLOOR, CEILING);
    }

    @Test
    void stepsDownFromTheMeasuredDeliveryRateOnSustainedBacklog() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        assertEquals(CEILING, c.onSample(sample(250, 400, 1_200_000)), "one reading above the threshold is not enough");
        long down = c.onSample(sample(500, 450, 1_200_000));
        assertEquals(Math.round(1_200_000 * (EdgeBitrateController.DRAIN_FACTOR
                - 450.0 / EdgeBitrateController.DRAIN_WITHIN_MS)), down,
                "below the delivery rate by what drains 450 ms of backlog soon");
    }

    @Test
    void aQueueThatRisesFastStepsDownAtTheFirstReadingAboveTheThreshold() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        assertEquals(CEILING, c.onSample(sample(250, 150, 1_200_000)), "below the threshold");
        assertTrue(c.onSample(sample(500, 300, 1_200_000)) < CEILING, "rose by 150 ms to above it: the uplink fell");
    }

    @Test
    void aSingleIdrBurstDoesNotStepDown() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        long now = 0;
        for (int i = 0; i < 40; i++) {
            now += 250;
            long backlog = i % 8 == 0 ? 350 : 40; // an IDR every 2 s queues briefly (one reading)
            assertEquals(CEILING, c.onSample(sample(now, backlog, 2_000_000)), "reading " + i);
        }
    }

    @Test
    void aStandingQueueJustUnderTheCongestionThresholdStepsDownAfterFourSeconds() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        long now = 0;
        for (int i = 1; i < EdgeBitrateController.STANDING_READINGS; i++) {
            now += 250;
            long backlog = i % 5 == 0 ? 150 : 240; // wavering around the threshold, never congested
            assertEquals(CEILING, c.onSample(sample(now, backlog, 1_900_000)), "reading " + i);
        }
        for (int i = 0; i < 8; i++) {
            now += 250;
            c.onSample(sample(now, 240, 1_900_000));
        }
        assertTrue(c.targetBps() < 1_900_000, "a queue that does not drain: " + c.targetBps());
    }

    @Test
    void aDrainNeverCutsBelowHalfTheKnee() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        assertEquals((long) (1_000_000 * EdgeBitrateController.MIN_DRAIN_FACTOR),
                c.onSample(sample(250, 5_000, 1_000_000)));
    }

    @Test
    void aVeryLargeBacklogStepsDownAtOnce() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        assertTrue(c.onSample(sample(250, 2 * EdgeBitrateController.CONGESTED_MS + 1, 800_000)) < CEILING);
    }

    @Test
    void settlesJustUnderTheKneeOnceDrained() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        c.onSample(sample(250, 400, 1_000_000));
        c.onSample(sample(500, 400, 1_000_000));
        assertEquals(Math.round(1_000_000 * (EdgeBitrateController.DRAIN_FACTOR - 400.0
                / EdgeBitrateController.DRAIN_WITHIN_MS)), c.onSample(sample(750, 250, 1_000_000)), "still draining");
        assertEquals((long) (1_000_000 * EdgeBitrateController.SETTLE_FACTOR), c.onSample(sample(1000, 50, 900_000)));
    }

    @Test
    void aKneeReadTooSoonAfterTheFallIsMeasuredAgainOverTheDrain() {
        EdgeBitrateController c = new EdgeBitrateController();
        c.reset(CEILING);
        long bytes = 1_000_000;
        c.onSample(sample(250, 700, 900_000, bytes)); // read while the windows still hold time before the fall
        bytes += 600_000 / 8 / 4;
        c.onSample(sample(500, 400, 620_000, bytes)); // the queue stands: 600 kbit/s get through
        bytes += 600_000 / 8 / 4;
        c.onSample(sample(750, 200, 610_000, bytes));
        bytes += 300_000 / 8 / 4; // the queue has emptied part-way: not a capacity reading
        assertEquals((long) (600_000 * EdgeBitrateController.SETTLE_FACTOR),
                c.onSample(sample(1000, 50, 400_000, bytes)),
                "settles under what got through while the drain's queue stood, not under the first reading");
    }

    @Test
    void anUndershootingEncoderOnAQuietLinkNeverDrivesTheTargetDown() {
        LinkModel m = new LinkModel(new EdgeBitrateController(), CEILING, 1000).undershoot(0.3);
        m.run(120_000, 5_000_000);
        assertEquals(CEILING, m.targetBps());
        assertEquals(0, m.stepsDown);
    }

    @Test
    void neverLeavesTheFloorAndCeiling() {
        LinkModel m = new LinkModel(new EdgeBitrateController(), CEILING, 1000);
        m.run(30_000, 50_000);
        assertTrue(m.targetBps() >= FLOOR, "floor " + FLOOR + ": " + m.targetBps());
        m.run(60_000, 100_000_000);
        assertEquals(CEILING, m.targetBps(), "back to the ceiling, not above it");
    }

    @Test
    void aSteadyBottleneckCostsAtMostOneStepDownPerTenSecondsAndIsWellUsed() {
        long capacity = 1_200_000;
        LinkModel m = new LinkModel(new EdgeBitrateController(), CEILING, 1000);
        m.run(20_000, capacity);
        assertTrue(m.backlogMs() < 500, "drained within 20 s: " + m.backlogMs());
        m.resetSteps();
        long sum = 0;
        int n = 0;
        for (int i = 0; i < 120; i++) {
            m.run(1000, capacity);
            sum += Math.min(m.targetBps(), capacity);
            n++;
        }
        assertTrue(m.minStepDownGapMs >= 10_000, "steps down " + m.minStepDownGapMs + " ms apart");
        assertTrue(m.stepsDown <= 12, "steps down in 120 s: " + m.stepsDown);
        assertTrue(sum / n >= 0.85 * capacity, "mean target " + sum / n + " of a " + capacity + " link");
    }

    @Test
    void climbsBackToNinetyPercentOfTheCeilingWithinTwentySecondsOfTheLinkRising() {
        LinkModel m = new LinkModel(new EdgeBitrateController(), CEILING, 1000);
        m.run(20_000, 600_000);
        long sum = 0;
        for (int i = 0; i < 20; i++) {
            m.run(1000, 600_000);
            sum += m.targetBps();
        }
        assertTrue(sum / 20 <= 600_000 && sum / 20 >= 0.85 * 600_000, "adapted to 0.6 Mbit/s: mean " + sum / 20);
        long rise = m.nowMs();
        while (m.targetBps() < 0.9 * CEILING && m.nowMs() - rise < 30_000) {
            m.run(250, 3_000_000);
        }
        assertTrue(m.nowMs() - rise <= 20_000, "90% of the ceiling after " + (m.nowMs() - rise) + " ms");
    }

    @Test
    void aStepDownFollowsACapacityDropWithinAFewReadings() {
        LinkModel m = new LinkModel(new EdgeBitrateController(), CEILING, 1000);
        m.run(10_000, 2_500_000);
        assertEquals(CEILING, m.targetBps());
        m.run(1500, 1_200_000);
        assertTrue(m.targetBps() < 1_200_000, "below the new capacity within 1.5 s: " + m.targetBps());
    }
}
