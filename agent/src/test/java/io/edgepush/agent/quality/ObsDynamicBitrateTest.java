package io.edgepush.agent.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link ObsDynamicBitrate} does what OBS's dynamic bitrate is published to do. */
class ObsDynamicBitrateTest {
    private static final long CEILING = 2_000_000;

    private static LinkSample sample(long nowMs, long backlogMs, long deliveryBps) {
        return new LinkSample(nowMs, backlogMs, deliveryBps, deliveryBps * nowMs / 8000, QualityPlan.floorBps(CEILING),
                CEILING);
    }

    @Test
    void cutsToTheMeasuredThroughputRoundedDownTo100KbpsAbove200Ms() {
        ObsDynamicBitrate c = new ObsDynamicBitrate();
        c.reset(CEILING);
        assertEquals(CEILING, c.onSample(sample(250, 200, 1_234_567)), "at 200 ms: no trigger");
        assertEquals(1_200_000, c.onSample(sample(500, 201, 1_234_567)));
        assertEquals(1_200_000, c.onSample(sample(750, 400, 1_250_000)), "never raised by a trigger");
    }

    @Test
    void climbsByATenthOfTheOriginalEveryFourSecondsWithoutATrigger() {
        ObsDynamicBitrate c = new ObsDynamicBitrate();
        c.reset(CEILING);
        c.onSample(sample(0, 500, 1_000_000));
        assertEquals(1_000_000, c.onSample(sample(3_999, 0, 1_000_000)));
        assertEquals(1_200_000, c.onSample(sample(4_000, 0, 1_000_000)));
        assertEquals(1_200_000, c.onSample(sample(7_999, 0, 1_000_000)));
        assertEquals(1_400_000, c.onSample(sample(8_000, 0, 1_000_000)));
        for (long t = 12_000; t <= 40_000; t += 4_000) {
            c.onSample(sample(t, 0, 1_000_000));
        }
        assertEquals(CEILING, c.onSample(sample(44_000, 0, 1_000_000)), "up to the original, not past it");
    }
}
