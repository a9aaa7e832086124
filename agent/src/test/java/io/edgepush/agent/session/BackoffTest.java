package io.edgepush.agent.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BackoffTest {

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        Backoff b = new Backoff(1000, 60_000, 10);
        assertEquals(1000, b.delayMs(1));
        assertEquals(2000, b.delayMs(2));
        assertEquals(4000, b.delayMs(3));
        assertEquals(32_000, b.delayMs(6));
        assertEquals(60_000, b.delayMs(7));
        assertEquals(60_000, b.delayMs(10));
    }

    @Test
    void givesUpAfterMaxAttempts() {
        Backoff b = new Backoff(1000, 60_000, 3);
        assertEquals(4000, b.delayMs(3));
        assertEquals(-1, b.delayMs(4));
        assertEquals(-1, new Backoff(1000, 1000, 0).delayMs(1));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(2000, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(1000, 1000, -1));
    }

    @Test
    void hugeAttemptNumbersDoNotOverflow() {
        assertEquals(60_000, new Backoff(1000, 60_000, Integer.MAX_VALUE).delayMs(1_000_000));
    }
}
