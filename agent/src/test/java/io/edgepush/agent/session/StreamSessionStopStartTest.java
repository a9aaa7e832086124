package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A start that comes while a stop is still unpublishing (a motion right after the post-roll ran out, a start command
 * right after a stop) waits for the stop and then starts afresh; a stop that comes meanwhile calls it off, so the
 * stream stays off. Calls are queued on the session's control thread in the order made, so the start always finds
 * the session STOPPING.
 */
class StreamSessionStopStartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void aStartDuringAStopWaitsForItAndStartsAfresh() throws Exception {
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            CountDownLatch held = holdControlThread(f);
            CompletableFuture<Boolean> stop = f.session.stop();
            CompletableFuture<Boolean> start = f.session.start();
            held.countDown();
            assertTrue(stop.get(10, TimeUnit.SECONDS));
            assertTrue(start.get(10, TimeUnit.SECONDS), "the waiting start started");
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming again; "
                    + f.listener);
            assertEquals(2, server.commandNames().stream().filter("publish"::equals).count());
        }
    }

    @Test
    void aStopAfterAWaitingStartCallsItOff() throws Exception {
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() { });
             SessionFixture f = new SessionFixture(new Backoff(50, 200, 3), server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            CountDownLatch held = holdControlThread(f);
            CompletableFuture<Boolean> firstStop = f.session.stop();
            CompletableFuture<Boolean> start = f.session.start();
            CompletableFuture<Boolean> secondStop = f.session.stop();
            held.countDown();
            assertTrue(firstStop.get(10, TimeUnit.SECONDS));
            assertTrue(secondStop.get(10, TimeUnit.SECONDS), "the second stop completes with the first");
            assertFalse(start.get(10, TimeUnit.SECONDS), "the waiting start was called off");
            // Anything the start could still do would be queued behind this on the control thread.
            f.control.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertEquals(SessionState.IDLE, f.session.state());
            assertEquals(1, server.commandNames().stream().filter("publish"::equals).count(), "no second publish");
        }
    }

    /** Blocks the session's control thread until the returned latch is counted down. */
    private static CountDownLatch holdControlThread(SessionFixture f) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        f.control.execute(() -> {
            running.countDown();
            try {
                held.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS), "control thread held");
        return held;
    }
}
