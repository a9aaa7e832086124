package io.edgepush.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgepush.protocol.rtmp.ScriptedRtmpServer;
import io.edgepush.protocol.rtmp.CommandMessage;
import io.edgepush.protocol.flv.FlvTagType;
import io.edgepush.testkit.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Once the retry budget is used up: an unattended stream (probing) reports error and keeps trying a round every
 * {@code max_retry_delay_ms}, and comes back when the server does; an attended one (on_demand, manual) stops in error
 * with no retry planned; a stop ends the probing.
 */
class StreamSessionProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A server that closes every connection at the RTMP connect while {@code down} is set. */
    private static ScriptedRtmpServer flaky(AtomicBoolean down, AtomicInteger connects) throws InterruptedException {
        return ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
            @Override
            public void onConnect(ScriptedRtmpServer.Connection c, CommandMessage connect) {
                connects.incrementAndGet();
                if (down.get()) {
                    c.close();
                } else {
                    c.acceptConnect(2_500_000);
                }
            }
        });
    }

    @Test
    void anUnattendedStreamKeepsProbingInErrorAndComesBackWithAWholeBudget() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger connects = new AtomicInteger();
        try (ScriptedRtmpServer server = flaky(down, connects);
             SessionFixture f = SessionFixture.probing(new Backoff(50, 400, 2), server.urlText("key1"))) {
            FixtureFeed feed = new FixtureFeed(f.session);
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.listener.errors.size() >= 5, TIMEOUT, () -> "probes failing; " + f.listener);
            RecordingSessionListener.ConnectionError exhausted = f.listener.errors.get(2);
            assertEquals(3, exhausted.attempts(), "the third failed round used up the budget of 2");
            assertEquals(1, exhausted.nextRetryInSec(), "next probe after max_retry_delay_ms (400 ms)");
            assertEquals(5, f.listener.errors.get(4).attempts(), "each probe is one more failed round");
            assertTrue(f.listener.moves.contains(new RecordingSessionListener.Move(SessionState.CONNECTING,
                    SessionState.ERROR)), () -> "reported error; " + f.listener);
            Await.until(() -> f.session.state() == SessionState.ERROR, TIMEOUT, "in error between probes");
            assertTrue(f.session.status().nextRetryAtEpochMs() > 0, "a probe is planned and shown");

            down.set(false);
            Await.until(() -> feed.next() && f.session.state() == SessionState.STREAMING
                    && server.received(FlvTagType.VIDEO).size() >= 3, TIMEOUT, () -> "back; " + f.listener);
            Await.until(() -> feed.next() && f.session.status().reconnectAttempts() == 0, TIMEOUT,
                    () -> "the keyframe sent ended the outage (long before the 30 s stable period); "
                            + f.session.status());
        }
    }

    @Test
    void anAttendedStreamStopsInErrorWithNoRetryPlanned() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger connects = new AtomicInteger();
        try (ScriptedRtmpServer server = flaky(down, connects);
             SessionFixture f = new SessionFixture(new Backoff(50, 400, 2), server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.ERROR, TIMEOUT, () -> "gave up; " + f.listener);
            assertEquals(3, f.listener.errors.size());
            assertEquals(0, f.listener.errors.get(2).nextRetryInSec(), "next_retry_in_sec 0: it has given up");
            assertEquals(0, f.session.status().nextRetryAtEpochMs());
            assertEquals(3, connects.get());
        }
    }

    @Test
    void aStopEndsTheProbingAndAStartBeginsAfresh() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger connects = new AtomicInteger();
        try (ScriptedRtmpServer server = flaky(down, connects);
             SessionFixture f = SessionFixture.probing(new Backoff(50, 20_000, 1), server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.listener.errors.size() >= 2 && f.session.state() == SessionState.ERROR, TIMEOUT,
                    () -> "waiting in error for the next probe (16-20 s away); " + f.listener);
            assertTrue(f.session.status().nextRetryAtEpochMs() > 0);
            assertTrue(f.session.stop().get(5, TimeUnit.SECONDS));
            assertEquals(SessionState.IDLE, f.session.state());
            assertEquals(0, f.session.status().nextRetryAtEpochMs(), "no probe planned after the stop");
            int errorsAtStop = f.listener.errors.size();

            down.set(false);
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "started; " + f.listener);
            assertEquals(errorsAtStop, f.listener.errors.size(), "no probe of the stopped run failed meanwhile");
            assertEquals(1, f.listener.started.size());
        }
    }

    @Test
    void aStartWhileAProbeIsConnectingBeginsAfreshAtOnce() throws Exception {
        AtomicBoolean stall = new AtomicBoolean(true);
        AtomicInteger connects = new AtomicInteger();
        try (ScriptedRtmpServer server = ScriptedRtmpServer.start(new ScriptedRtmpServer.Script() {
                @Override
                public void onConnect(ScriptedRtmpServer.Connection c, CommandMessage connect) {
                    connects.incrementAndGet();
                    if (!stall.get()) {
                        c.acceptConnect(2_500_000);
                    } // else no answer: the publish times out (the fixture's 5 s)
                }
            });
             SessionFixture f = SessionFixture.probing(new Backoff(50, 200, 0), server.urlText("key1"))) {
            f.session.start().get(5, TimeUnit.SECONDS);
            Await.until(() -> f.listener.errors.size() == 1 && connects.get() == 2
                    && f.session.state() == SessionState.CONNECTING, TIMEOUT,
                    () -> "the first try timed out, the budget of 0 is used up, a probe is connecting; " + f.listener);
            stall.set(false);
            assertTrue(f.session.start().get(5, TimeUnit.SECONDS), "a start during a probe begins afresh");
            Await.until(() -> f.session.state() == SessionState.STREAMING, TIMEOUT, () -> "streaming; " + f.listener);
            assertEquals(1, f.listener.errors.size(), "the fresh start did not wait for the stalled probe's timeout");
            assertEquals(3, connects.get());
            assertTrue(f.listener.moves.contains(new RecordingSessionListener.Move(SessionState.CONNECTING,
                    SessionState.RECONNECTING)), () -> f.listener.toString());
        }
    }
}
