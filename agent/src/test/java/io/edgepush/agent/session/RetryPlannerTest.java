package io.edgepush.agent.session;

import static io.edgepush.protocol.rtmp.RetryPolicy.DO_NOT_RETRY;
import static io.edgepush.protocol.rtmp.RetryPolicy.RETRY_AFTER_IDLE_TIMEOUT;
import static io.edgepush.protocol.rtmp.RetryPolicy.RETRY_NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Failover order, backoff per failed round, the idle-timeout wait, the budget counted in failed rounds, probing once it
 * is used up, and the resets (outage over at a keyframe, stable period, restart).
 */
class RetryPlannerTest {
    /** Ceilings 1000, 2000, 4000, 8000; the jitter fixed at the top of the range. */
    private static Backoff backoff(int maxRounds) {
        return new Backoff(1000, 8000, maxRounds, () -> 0.999_999_9);
    }

    private static RetryPlanner stopping(Backoff backoff) {
        return new RetryPlanner(backoff, true, false, 10_000);
    }

    private static RetryPlanner probing(Backoff backoff) {
        return new RetryPlanner(backoff, true, true, 10_000);
    }

    private static RetryPlanner.Decision retry(long delayMs, int urlIndex, int attempt) {
        return new RetryPlanner.Decision(delayMs, urlIndex, attempt, false);
    }

    @Test
    void oneUrlBacksOffPerFailedRoundAndALiveBreakCostsNoBudget() {
        RetryPlanner p = stopping(backoff(10));
        assertEquals(retry(1000, 0, 1), p.onFailure(RETRY_NOW, false, 1));
        assertEquals(retry(2000, 0, 2), p.onFailure(RETRY_NOW, false, 1));
        assertEquals(retry(4000, 0, 2), p.onFailure(RETRY_NOW, true, 1), "a live break backs off, uses no budget");
    }

    @Test
    void failedConnectsWalkTheListThenWaitAndStartAgainAtThePrimary() {
        RetryPlanner p = stopping(backoff(10));
        assertEquals(0, p.urlIndex(3));
        assertEquals(retry(RetryPlanner.FAILOVER_DELAY_MS, 1, 0), p.onFailure(RETRY_NOW, false, 3));
        assertEquals(retry(RetryPlanner.FAILOVER_DELAY_MS, 2, 0), p.onFailure(RETRY_NOW, false, 3));
        assertEquals(retry(1000, 0, 1), p.onFailure(RETRY_NOW, false, 3), "round 1 done");
        assertEquals(1, p.onFailure(RETRY_NOW, false, 3).urlIndex());
        assertEquals(2, p.onFailure(RETRY_NOW, false, 3).urlIndex());
        assertEquals(retry(2000, 0, 2), p.onFailure(RETRY_NOW, false, 3), "round 2 doubles");
    }

    @Test
    void theBudgetCountsRoundsNotUrls() {
        RetryPlanner p = stopping(backoff(2));
        for (int round = 1; round <= 2; round++) {
            for (int url = 0; url < 3; url++) {
                assertFalse(p.onFailure(RETRY_NOW, false, 3).givesUp(), "round " + round + " url " + url);
            }
        }
        assertFalse(p.onFailure(RETRY_NOW, false, 3).givesUp(), "round 3, primary");
        assertFalse(p.onFailure(RETRY_NOW, false, 3).givesUp(), "round 3, backup1");
        RetryPlanner.Decision last = p.onFailure(RETRY_NOW, false, 3);
        assertTrue(last.givesUp());
        assertTrue(last.exhausted());
        assertEquals(3, last.attempt(), "the round that exhausted the budget is counted");
    }

    @Test
    void aBrokenLivePublishOnABackupGoesBackToThePrimary() {
        RetryPlanner p = stopping(backoff(10));
        p.onFailure(RETRY_NOW, false, 2); // primary refused: now on backup1
        assertEquals(1, p.urlIndex(2));
        RetryPlanner.Decision d = p.onFailure(RETRY_NOW, true, 2); // backup1 was streaming and broke
        assertEquals(0, d.urlIndex());
        assertEquals(1000, d.delayMs());
    }

    @Test
    void failoverWaitIsNeverLongerThanTheInitialDelay() {
        RetryPlanner p = stopping(new Backoff(50, 200, 5, () -> 0.0));
        assertEquals(50, p.onFailure(RETRY_NOW, false, 2).delayMs());
    }

    @Test
    void alreadyPublishingWaitsForTheServerOnlyWhenTheSameUrlIsNext() {
        assertEquals(10_000, stopping(backoff(10)).onFailure(RETRY_AFTER_IDLE_TIMEOUT, false, 1).delayMs());
        assertEquals(RetryPlanner.FAILOVER_DELAY_MS,
                stopping(backoff(10)).onFailure(RETRY_AFTER_IDLE_TIMEOUT, false, 2).delayMs());
        RetryPlanner longBackoff = new RetryPlanner(new Backoff(20_000, 20_000, 3, () -> 0.999_999_9), true, false, 10);
        assertEquals(20_000, longBackoff.onFailure(RETRY_AFTER_IDLE_TIMEOUT, false, 1).delayMs(), "longer wins");
    }

    @Test
    void givesUpOnDoNotRetryAutoReconnectOffOrAnEmptyBudget() {
        assertTrue(stopping(backoff(10)).onFailure(DO_NOT_RETRY, false, 1).givesUp());
        assertTrue(new RetryPlanner(backoff(10), false, true, 10_000).onFailure(RETRY_NOW, false, 3).givesUp(),
                "auto_reconnect off never probes");
        assertTrue(stopping(backoff(0)).onFailure(RETRY_NOW, false, 1).givesUp());
    }

    @Test
    void aRefusalForGoodFromThePrimaryMovesOnToTheBackupAndFromTheLastUrlUsesUpTheBudget() {
        RetryPlanner p = stopping(backoff(10));
        assertEquals(retry(RetryPlanner.FAILOVER_DELAY_MS, 1, 0), p.onFailure(DO_NOT_RETRY, false, 2),
                "the backup may be another server");
        RetryPlanner.Decision last = p.onFailure(DO_NOT_RETRY, false, 2);
        assertTrue(last.givesUp() && last.exhausted());
        RetryPlanner probe = probing(backoff(10));
        probe.onFailure(DO_NOT_RETRY, false, 2);
        assertEquals(new RetryPlanner.Decision(8000, 0, 1, true), probe.onFailure(DO_NOT_RETRY, false, 2));
        assertEquals(1, probe.onFailure(DO_NOT_RETRY, false, 2).urlIndex(), "a probe reaches the backup too");
    }

    @Test
    void probesAreJitteredBetweenFourFifthsOfTheLongestDelayAndIt() {
        RetryPlanner low = probing(new Backoff(1000, 8000, 0, () -> 0.0));
        assertEquals(6400, low.onFailure(RETRY_NOW, false, 1).delayMs());
        RetryPlanner high = probing(new Backoff(1000, 8000, 0, () -> 0.999_999_9));
        assertEquals(8000, high.onFailure(RETRY_NOW, false, 1).delayMs());
    }

    @Test
    void anExhaustedProbingSessionTriesAWholeRoundEveryMaxDelay() {
        RetryPlanner p = probing(backoff(1));
        assertFalse(p.onFailure(RETRY_NOW, false, 2).exhausted(), "primary: on to the backup");
        RetryPlanner.Decision first = p.onFailure(RETRY_NOW, false, 2);
        assertEquals(new RetryPlanner.Decision(1000, 0, 1, false), first, "round 1 within the budget");
        p.onFailure(RETRY_NOW, false, 2);
        RetryPlanner.Decision exhausted = p.onFailure(RETRY_NOW, false, 2);
        assertEquals(new RetryPlanner.Decision(8000, 0, 2, true), exhausted, "round 2: probe after max delay");
        assertEquals(new RetryPlanner.Decision(RetryPlanner.FAILOVER_DELAY_MS, 1, 2, true),
                p.onFailure(RETRY_NOW, false, 2), "a probe still fails over to the backup");
        assertEquals(new RetryPlanner.Decision(8000, 0, 3, true), p.onFailure(RETRY_NOW, false, 2));
        assertEquals(new RetryPlanner.Decision(8000, 0, 1, true), probing(backoff(10)).onFailure(DO_NOT_RETRY, false, 1),
                "refused for good: probe, the server may be fixed");
    }

    @Test
    void aKeyframeSentEndsTheOutageButTheBackoffCeilingWaitsForTheStablePeriod() {
        RetryPlanner p = probing(backoff(2));
        p.onFailure(RETRY_NOW, false, 1);
        p.onFailure(RETRY_NOW, false, 1);
        assertTrue(p.onFailure(RETRY_NOW, false, 1).exhausted());
        assertTrue(p.inOutage());
        p.outageOver();
        assertFalse(p.inOutage());
        assertEquals(0, p.attempts());
        assertEquals(retry(8000, 0, 0), p.onFailure(RETRY_NOW, true, 1), "ceiling kept: 4th round");
        assertEquals(retry(8000, 0, 1), p.onFailure(RETRY_NOW, false, 1), "budget whole again");
        p.stable();
        assertEquals(retry(1000, 0, 0), p.onFailure(RETRY_NOW, true, 1), "stable: ceiling from the start");
    }

    @Test
    void twentyOutagesOfAFlakyBackupBehindADeadPrimaryNeverExhaustTheBudget() {
        RetryPlanner p = probing(backoff(2));
        for (int outage = 0; outage < 20; outage++) {
            p.onFailure(RETRY_NOW, true, 2); // the backup was streaming and went away
            p.onFailure(RETRY_NOW, false, 2); // dead primary
            RetryPlanner.Decision d = p.onFailure(RETRY_NOW, false, 2); // backup still restarting
            assertFalse(d.exhausted(), "outage " + outage);
            p.onFailure(RETRY_NOW, false, 2); // dead primary again
            assertEquals(1, p.urlIndex(2)); // the backup is back: streams a keyframe
            p.outageOver();
        }
    }

    @Test
    void restartGoesBackToThePrimaryWithAFreshBudget() {
        RetryPlanner p = stopping(backoff(1));
        p.onFailure(RETRY_NOW, false, 2);
        p.onFailure(RETRY_NOW, false, 2);
        p.onFailure(RETRY_NOW, false, 2);
        assertTrue(p.onFailure(RETRY_NOW, false, 2).givesUp());
        p.restart();
        assertEquals(0, p.urlIndex(2));
        assertFalse(p.inOutage());
        assertFalse(p.onFailure(RETRY_NOW, false, 2).givesUp());
    }
}
