package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgepush.protocol.rtmp.RetryPolicy;
import org.junit.jupiter.api.Test;

/** RetryPolicy -> retry delay: the table in {@link RetryDelays}. */
class RetryDelaysTest {
    private final Backoff backoff = new Backoff(100, 800, 3);
    private final RetryDelays delays = new RetryDelays(backoff, true, 2500);

    @Test
    void retryNowFollowsTheBackoff() {
        assertEquals(100, delays.delayMs(RetryPolicy.RETRY_NOW, 1, true));
        assertEquals(400, delays.delayMs(RetryPolicy.RETRY_NOW, 3, true));
        assertEquals(-1, delays.delayMs(RetryPolicy.RETRY_NOW, 4, true), "attempts exhausted");
    }

    @Test
    void retryAfterIdleTimeoutWaitsForTheServerOnlyWhenTheSameUrlIsNext() {
        assertEquals(2500, delays.delayMs(RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT, 1, true));
        assertEquals(100, delays.delayMs(RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT, 1, false), "another URL: no wait");
        assertEquals(-1, delays.delayMs(RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT, 4, true), "attempts exhausted");
        assertEquals(800, new RetryDelays(new Backoff(800, 800, 3), true, 10)
                .delayMs(RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT, 1, true), "a longer backoff wins");
    }

    @Test
    void doNotRetryAndAutoReconnectOffGiveUp() {
        assertEquals(-1, delays.delayMs(RetryPolicy.DO_NOT_RETRY, 1, true));
        assertEquals(-1, new RetryDelays(backoff, false, 2500).delayMs(RetryPolicy.RETRY_NOW, 1, true));
    }
}
