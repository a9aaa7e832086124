package io.edgepush.agent.session;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class BackoffTest {

    @Test
    void ceilingDoublesFromTheInitialDelayUpToTheCap() {
        Backoff b = new Backoff(1000, 60_000, 10);
        assertEquals(1000, b.ceilingMs(1));
        assertEquals(2000, b.ceilingMs(2));
        assertEquals(4000, b.ceilingMs(3));
        assertEquals(32_000, b.ceilingMs(6));
        assertEquals(60_000, b.ceilingMs(7));
        assertEquals(60_000, b.ceilingMs(10));
    }

    @Test
    void fullJitterSpansFromTheFloorToTheCeiling() {
        assertEquals(Backoff.MIN_DELAY_MS, new Backoff(1000, 60_000, 10, () -> 0.0).delayMs(3));
        assertEquals(4000, new Backoff(1000, 60_000, 10, () -> 0.999_999_9).delayMs(3));
        assertEquals(100 + (long) (0.5 * 3901), new Backoff(1000, 60_000, 10, () -> 0.5).delayMs(3));
    }

    @Test
    void aCeilingBelowTheFloorIsUsedAsIs() {
        assertEquals(50, new Backoff(50, 200, 5, () -> 0.0).delayMs(1));
        assertEquals(50, new Backoff(50, 200, 5, () -> 0.9).delayMs(1));
    }

    @Test
    void jitteredDelaysSpreadAcrossTheRange() {
        Random random = new Random(42);
        Backoff b = new Backoff(1000, 60_000, 10, random::nextDouble);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long d = b.delayMs(4);
            assertTrue(d >= 100 && d <= 8000, "delay " + d + " outside [100, 8000]");
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min < 500 && max > 7500, "a fleet must not retry in lockstep: " + min + ".." + max);
    }

    @Test
    void allowsOnlyMaxAttempts() {
        Backoff b = new Backoff(1000, 60_000, 3);
        assertTrue(b.allows(3));
        assertFalse(b.allows(4));
        assertFalse(b.allows(0));
        assertFalse(new Backoff(1000, 1000, 0).allows(1));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(2000, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(1000, 1000, -1));
    }

    @Test
    void hugeAttemptNumbersDoNotOverflow() {
        assertEquals(60_000, new Backoff(1000, 60_000, Integer.MAX_VALUE).ceilingMs(1_000_000));
    }
}
