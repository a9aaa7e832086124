package io.edgepush.agent.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link TokenBucket} on an injected clock: burst, refill rate, cap, a clock that stands still or goes back. */
class TokenBucketTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private int take(TokenBucket b, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            taken += b.tryTake() ? 1 : 0;
        }
        return taken;
    }

    @Test
    void startsFullThenRefillsAtItsRateUpToTheBurst() {
        TokenBucket b = new TokenBucket(20, 50, nanos::get);
        assertEquals(50, take(b, 1000), "the burst, all at once");
        assertFalse(b.tryTake());
        nanos.addAndGet(49_000_000); // 49 ms: 0.98 of a token
        assertFalse(b.tryTake());
        nanos.addAndGet(1_000_000); // 50 ms in all: one token
        assertTrue(b.tryTake());
        assertFalse(b.tryTake());
        nanos.addAndGet(1_000_000_000);
        assertEquals(20, take(b, 1000), "20 per second");
        nanos.addAndGet(3_600_000_000_000L);
        assertEquals(50, take(b, 1000), "an hour idle refills to the burst, no more");
    }

    @Test
    void tenThousandTriesInTenSecondsGetTheBurstPlusTheRate() {
        TokenBucket b = new TokenBucket(20, 50, nanos::get);
        int taken = 0;
        for (int i = 0; i < 10_000; i++) {
            nanos.addAndGet(1_000_000); // one per millisecond
            taken += b.tryTake() ? 1 : 0;
        }
        assertEquals(50 + 200, taken, 2);
    }

    @Test
    void aClockGoingBackAddsNothing() {
        TokenBucket b = new TokenBucket(1, 1, nanos::get);
        assertTrue(b.tryTake());
        nanos.addAndGet(-5_000_000_000L);
        assertFalse(b.tryTake());
        nanos.addAndGet(5_000_000_000L);
        assertFalse(b.tryTake(), "back where it was: still no time has passed");
        nanos.addAndGet(1_000_000_000L);
        assertTrue(b.tryTake());
    }

    @Test
    void nonPositiveRateOrBurstIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, nanos::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(Double.NaN, 1, nanos::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, nanos::get));
    }
}
