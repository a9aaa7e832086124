package io.edgepush.agent.gateway;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A periodic task of the agent (stream_metrics, the bitrate history) outlives a run that throws. */
class PeriodicTaskTest {

    @Test
    void aRunThatThrowsDoesNotCancelTheSchedule() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch third = new CountDownLatch(3);
            scheduler.scheduleAtFixedRate(GatewayAgent.keepGoing("test", () -> {
                third.countDown();
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("first run fails");
                }
            }), 0, 10, TimeUnit.MILLISECONDS);
            assertTrue(third.await(10, TimeUnit.SECONDS), "runs after the one that threw");
        } finally {
            scheduler.shutdownNow();
        }
    }
}
