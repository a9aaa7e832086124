package io.edgepush.agent.session;

import static io.edgepush.protocol.rtmp.RetryPolicy.DO_NOT_RETRY;
import static io.edgepush.protocol.rtmp.RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT;
import static io.edgepush.protocol.rtmp.RetryPolicy.RETRY_NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Failover order, backoff per failed round, the idle-timeout wait, the budget and the resets. */
class RetryPlannerTest {
    /** Ceilings 1000, 2000, 4000, 8000; the jitter fixed at the top of the range. */
    private static Backoff backoff(int maxAttempts) {
        return new Backoff(1000, 8000, maxAttempts, () -> 0.999_999_9);
    }

    @Test
    void oneUrlBacksOffPerFailure() {
        RetryPlanner p = new RetryPlanner(backoff(10), true, 10_000);
        assertEquals(new RetryPlanner.Decision(1000, 0, 1), p.onFailure(RETRY_NOW, false, 1));
        assertEquals(new RetryPlanner.Decision(2000, 0, 2), p.onFailure(RETRY_NOW, false, 1));
        assertEquals(new RetryPlanner.Decision(4000, 0, 3), p.onFailure(RETRY_NOW, true, 1));
    }

    @Test
    void failedConnectsWalkTheListThenWaitAndStartAgainAtThePrimary() {
        RetryPlanner p = new RetryPlanner(backoff(10), true, 10_000);
        assertEquals(0, p.urlIndex(3));
        assertEquals(new RetryPlanner.Decision(RetryPlanner.FAILOVER_DELAY_MS, 1, 1), p.onFailure(RETRY_NOW, false, 3));
        assertEquals(new RetryPlanner.Decision(RetryPlanner.FAILOVER_DELAY_MS, 2, 2), p.onFailure(RETRY_NOW, false, 3));
        assertEquals(new RetryPlanner.Decision(1000, 0, 3), p.onFailure(RETRY_NOW, false, 3), "round 1 done");
        assertEquals(1, p.onFailure(RETRY_NOW, false, 3).urlIndex());
        assertEquals(2, p.onFailure(RETRY_NOW, false, 3).urlIndex());
        assertEquals(new RetryPlanner.Decision(2000, 0, 6), p.onFailure(RETRY_NOW, false, 3), "round 2 doubles");
    }

    @Test
    void aBrokenLivePublishOnABackupGoesBackToThePrimary() {
        RetryPlanner p = new RetryPlanner(backoff(10), true, 10_000);
        p.onFailure(RETRY_NOW, false, 2); // primary refused: now on backup1
        assertEquals(1, p.urlIndex(2));
        RetryPlanner.Decision d = p.onFailure(RETRY_NOW, true, 2); // backup1 was streaming and broke
        assertEquals(0, d.urlIndex());
        assertEquals(1000, d.delayMs());
    }

    @Test
    void failoverWaitIsNeverLongerThanTheInitialDelay() {
        RetryPlanner p = new RetryPlanner(new Backoff(50, 200, 5, () -> 0.0), true, 10_000);
        assertEquals(50, p.onFailure(RETRY_NOW, false, 2).delayMs());
    }

    @Test
    void alreadyPublishingWaitsForTheServerOnlyWhenTheSameUrlIsNext() {
        RetryPlanner one = new RetryPlanner(backoff(10), true, 10_000);
        assertEquals(10_000, one.onFailure(RETRY_AFTER_IDLE_TIMEOUT, false, 1).delayMs());
        RetryPlanner two = new RetryPlanner(backoff(10), true, 10_000);
        assertEquals(RetryPlanner.FAILOVER_DELAY_MS, two.onFailure(RETRY_AFTER_IDLE_TIMEOUT, false, 2).delayMs());
        RetryPlanner longBackoff = new RetryPlanner(new Backoff(20_000, 20_000, 3, () -> 0.999_999_9), true, 10);
        assertEquals(20_000, longBackoff.onFailure(RETRY_AFTER_IDLE_TIMEOUT, false, 1).delayMs(), "longer wins");
    }

    @Test
    void givesUpOnDoNotRetryAutoReconnectOffOrAnEmptyBudget() {
        assertTrue(new RetryPlanner(backoff(10), true, 10_000).onFailure(DO_NOT_RETRY, false, 3).givesUp());
        assertTrue(new RetryPlanner(backoff(10), false, 10_000).onFailure(RETRY_NOW, false, 3).givesUp());
        RetryPlanner p = new RetryPlanner(backoff(2), true, 10_000);
        assertFalse(p.onFailure(RETRY_NOW, false, 1).givesUp());
        assertFalse(p.onFailure(RETRY_NOW, false, 1).givesUp());
        RetryPlanner.Decision third = p.onFailure(RETRY_NOW, false, 1);
        assertTrue(third.givesUp());
        assertEquals(3, third.attempt(), "the failure that exhausted the budget is counted");
    }

    @Test
    void stableResetsTheCountAndTheBackoffButKeepsTheUrl() {
        RetryPlanner p = new RetryPlanner(backoff(10), true, 10_000);
        p.onFailure(RETRY_NOW, false, 2);
        p.onFailure(RETRY_NOW, false, 2);
        p.onFailure(RETRY_NOW, false, 2); // on backup1 again, 3 failures, 1 round
        p.stable();
        assertEquals(0, p.attempts());
        assertEquals(1, p.urlIndex(2));
        assertEquals(new RetryPlanner.Decision(1000, 0, 1), p.onFailure(RETRY_NOW, true, 2));
    }

    @Test
    void restartGoesBackToThePrimaryWithAFreshBudget() {
        RetryPlanner p = new RetryPlanner(backoff(1), true, 10_000);
        p.onFailure(RETRY_NOW, false, 2);
        assertTrue(p.onFailure(RETRY_NOW, false, 2).givesUp());
        p.restart();
        assertEquals(0, p.urlIndex(2));
        assertFalse(p.onFailure(RETRY_NOW, false, 2).givesUp());
    }
}
